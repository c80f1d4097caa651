// Registry latency under concurrency over real HTTP: search (name, pinyin initials, typed prefixes, ID last 4),
// open a child file, list with filters. 16 concurrent clients by default.
//   tonghu demo --data-dir /tmp/reg1m --children 1000000 --fast-hash   (or --database postgresql://...)
//   tonghu serve --data-dir /tmp/reg1m --port 18210 --login-ip-limit 10000 --no-access-log &
//   TH_BASE_URL=http://127.0.0.1:18210 node bench/registry/bench.mjs [clients] [requests-per-client]
import os from 'node:os';

const BASE = process.env.TH_BASE_URL ?? 'http://127.0.0.1:18210';
const CLIENTS = Number(process.argv[2] ?? 16);
const PER = Number(process.argv[3] ?? 50);

async function login(user) {
  const r = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: 'Demo@2026tonghu' }),
  });
  if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
  const cookie = /th_session=([^;]*)/.exec(r.headers.get('set-cookie'))[0];
  return cookie;
}

async function get(cookie, path) {
  const t0 = performance.now();
  const r = await fetch(BASE + path, { headers: { Cookie: cookie } });
  const body = await r.text();
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body.slice(0, 200)}`);
  return { ms, json: JSON.parse(body) };
}

function pct(a, p) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function run(name, cookies, makePath) {
  const times = [];
  const t0 = performance.now();
  await Promise.all(cookies.map(async (c, ci) => {
    for (let i = 0; i < PER; i++) times.push((await get(c, makePath(ci, i))).ms);
  }));
  const wall = (performance.now() - t0) / 1000;
  console.log(`${name.padEnd(28)} n=${times.length} p50=${pct(times, 50).toFixed(1)}ms p99=${pct(times, 99).toFixed(1)}ms ` +
    `max=${Math.max(...times).toFixed(1)}ms rps=${(times.length / wall).toFixed(0)}`);
}

const cookies = [];
for (let i = 0; i < CLIENTS; i++) cookies.push(await login('district'));
// Sample children to search for and open.
const sample = [];
for (let p = 1; p <= 5; p++) {
  const r = await get(cookies[0], `/api/v1/children?page=${p * 37}&page_size=100&sort=id`);
  sample.push(...r.json.items);
}
const first = (await get(cookies[0], '/api/v1/children?page_size=1')).json;
const total = `${first.total}${first.total_capped ? '+ (count capped)' : ''}`;
console.log(`tonghu registry bench: ${total} children, ${CLIENTS} clients x ${PER} requests, ${os.cpus().length} x ${os.cpus()[0].model}, ${new Date().toISOString()}`);
const pick = (ci, i) => sample[(ci * PER + i * 7) % sample.length];
await run('search name', cookies, (ci, i) => `/api/v1/children?q=${encodeURIComponent(pick(ci, i).name)}`);
const initials = ['zw', 'wl', 'lj', 'cy', 'zy', 'wj', 'lx', 'zh', 'hm', 'lyx', 'zzh', 'wzy'];
await run('search pinyin initials', cookies, (ci, i) => `/api/v1/children?q=${initials[(ci + i) % initials.length]}`);
// Typed so far (issue 9 item 16): pinyin prefixes, given-name initials, the first characters of a name.
const typed = ['z', 'zh', 'zhang', 'wan', 'wangh', 'li', 'chen', 'liuz', 'xu', 'zw', 'hy', 'y'];
await run('search typed prefix', cookies, (ci, i) => `/api/v1/children?q=${encodeURIComponent(i % 3 === 2 ? [...pick(ci, i).name].slice(0, 2).join('') : typed[(ci + i) % typed.length])}`);
await run('search ID last 4', cookies, (ci, i) => `/api/v1/children?q=${pick(ci, i).id_number_masked.slice(-4)}`);
await run('open file', cookies, (ci, i) => `/api/v1/children/${pick(ci, i).id}`);
await run('list filters', cookies, (ci, i) => `/api/v1/children?category=${['migrant', 'left_behind', 'poor_family'][i % 3]}&age_min=6&age_max=12&page=${1 + (i % 5)}`);
