// The case page as the web app opens it (web/src/modules/cases/views/CaseDetailView.vue): GET /cases/{id} (the
// case, its timeline and the child's assessments), then, once it has rendered, the plan section's
// GET /cases/{id}/plans (the plan in force, its versions, the service records and groups). C clients open pages one
// after another for S seconds; prints the page's p50/p90/p99 (both calls, sequential) and per call.
//   TH_BASE_URL=http://127.0.0.1:18600 node bench/cases/page.mjs USER IDS(comma-separated) [clients=16] [seconds=10]
const BASE = process.env.TH_BASE_URL ?? 'http://127.0.0.1:18600';
const [user, idList, clientsArg, secondsArg] = process.argv.slice(2);
const ids = idList.split(',').map(Number);
const CLIENTS = Number(clientsArg ?? 16);
const SECONDS = Number(secondsArg ?? 10);

async function login() {
  const r = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: 'Demo@2026tonghu' }),
  });
  if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
  return /th_session=([^;]*)/.exec(r.headers.get('set-cookie'))[0];
}

async function get(cookie, path) {
  const t0 = performance.now();
  const r = await fetch(BASE + path, { headers: { Cookie: cookie } });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body.slice(0, 200)}`);
  return performance.now() - t0;
}

const pct = (s, p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
const fmt = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return `p50=${pct(s, 50).toFixed(1)}ms p90=${pct(s, 90).toFixed(1)}ms p99=${pct(s, 99).toFixed(1)}ms`;
};

const cookie = await login();
const page = [], detail = [], plans = [];
const end = performance.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: CLIENTS }, async (_, ci) => {
  for (let i = ci; performance.now() < end; i += CLIENTS) {
    const id = ids[i % ids.length];
    const a = await get(cookie, `/api/v1/cases/${id}`);
    const b = await get(cookie, `/api/v1/cases/${id}/plans`);
    detail.push(a); plans.push(b); page.push(a + b);
  }
}));
console.log(`${('page (' + user + ')').padEnd(22)} c=${CLIENTS} n=${page.length} ${fmt(page)} ` +
  `pages/s=${(page.length / SECONDS).toFixed(0)} | detail ${fmt(detail)} | plans ${fmt(plans)}`);
