// The case page as the web app opens it (web/src/modules/cases/views/CaseDetailView.vue). Since session 7 the page
// starts its three requests together: GET /cases/{id} (the case, its timeline and the child's assessments), the plan
// section's GET /cases/{id}/plans and the 个案会商 section's GET /cases/{id}/conferences (each section's preload; the
// conferences by the case id, so they no longer wait for the case's child). C clients open pages one after another for
// S seconds; prints, from the same pages:
//   page (2 calls)   the case and its plans: the time until both answered (the page as the goal "case page p99 <= 50 ms"
//                    measured it in sessions 5 and 6);
//   page (as opened) the whole page: until every call the page makes has answered;
//   each call's p50/p90/p99.
// MODE picks how the page is opened, for a before/after on one server:
//   par   since session 7: the three calls at once (conferences by case: GET /cases/{id}/conferences);
//   par6  session 6: the case and its plans at once, GET /children/{child}/conferences after the case's answer;
//   seq   before session 6: the case, then the plans and the child's conferences together.
//   TH_BASE_URL=http://127.0.0.1:18600 [TH_BENCH_CLIENT=fetch|http] node bench/cases/page.mjs USER IDS [clients=16] [seconds=10] [par|par6|seq]
// IDS: comma-separated case:child pairs (par6 and seq make the conferences call only with a child id).
import http from 'node:http';

const BASE = process.env.TH_BASE_URL ?? 'http://127.0.0.1:18600';
const [user, idList, clientsArg, secondsArg, modeArg] = process.argv.slice(2);
const ids = idList.split(',').map((s) => s.split(':').map(Number));
const CLIENTS = Number(clientsArg ?? 16);
const SECONDS = Number(secondsArg ?? 10);
const MODE = modeArg ?? 'par';

async function login() {
  const r = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: 'Demo@2026tonghu' }),
  });
  if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
  return /th_session=([^;]*)/.exec(r.headers.get('set-cookie'))[0];
}

// Resolves to the time from `t0` until the answer's body has been read (and decoded as text).
// TH_BENCH_CLIENT=http asks with node:http over kept-alive connections instead of fetch: the same requests and
// bodies for a fraction of the client's CPU, which on this two-core machine the server otherwise shares with the
// page openers (docs/PERFORMANCE.md, session 8). The default stays fetch, as in sessions 5-7.
const CLIENT = process.env.TH_BENCH_CLIENT ?? 'fetch';
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
async function get(cookie, path, t0) {
  if (CLIENT === 'http') {
    const [status, body] = await new Promise((resolve, reject) => {
      const req = http.request(BASE + path, { agent, headers: { Cookie: cookie } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve([res.statusCode, Buffer.concat(chunks).toString('utf8')]));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    if (status !== 200) throw new Error(`${path}: ${status} ${body.slice(0, 200)}`);
    return performance.now() - t0;
  }
  const r = await fetch(BASE + path, { headers: { Cookie: cookie } });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body.slice(0, 200)}`);
  return performance.now() - t0;
}

const pct = (s, p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
const fmt = (a) => {
  if (!a.length) return 'n/a';
  const s = [...a].sort((x, y) => x - y);
  return `p50=${pct(s, 50).toFixed(1)}ms p90=${pct(s, 90).toFixed(1)}ms p99=${pct(s, 99).toFixed(1)}ms`;
};

// One page: [two calls done, whole page done, case call, plans call, conferences call] in ms from the start.
async function openPage(cookie, kase, child) {
  const t0 = performance.now();
  if (MODE === 'par') {
    let twoDone = 0;
    const note = (t) => { twoDone = Math.max(twoDone, t); return t; };
    const [a, b, c] = await Promise.all([get(cookie, `/api/v1/cases/${kase}`, t0).then(note),
      get(cookie, `/api/v1/cases/${kase}/plans`, t0).then(note), get(cookie, `/api/v1/cases/${kase}/conferences`, t0)]);
    return [twoDone, performance.now() - t0, a, b, c];
  }
  const confs = (tCase) => (child ? get(cookie, `/api/v1/children/${child}/conferences`, performance.now()).then((d) => [tCase, d]) : [tCase, null]);
  if (MODE === 'seq') {
    const a = await get(cookie, `/api/v1/cases/${kase}`, t0);
    const t1 = performance.now();
    const [b, [, c]] = await Promise.all([get(cookie, `/api/v1/cases/${kase}/plans`, t1), confs(a)]);
    const end = performance.now() - t0;
    return [a + b, end, a, b, c];
  }
  if (MODE !== 'par6') throw new Error(`unknown mode ${MODE} (par, par6 or seq)`);
  let twoDone = 0;
  const caseAndConfs = get(cookie, `/api/v1/cases/${kase}`, t0).then((a) => { twoDone = Math.max(twoDone, a); return confs(a); });
  const plans = get(cookie, `/api/v1/cases/${kase}/plans`, t0).then((b) => { twoDone = Math.max(twoDone, b); return b; });
  const [[a, c], b] = await Promise.all([caseAndConfs, plans]);
  return [twoDone, performance.now() - t0, a, b, c];
}

const cookie = await login();
const two = [], whole = [], detail = [], plans = [], confs = [];
const end = performance.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: CLIENTS }, async (_, ci) => {
  for (let i = ci; performance.now() < end; i += CLIENTS) {
    const [kase, child] = ids[i % ids.length];
    const [t2, tw, a, b, c] = await openPage(cookie, kase, child);
    two.push(t2); whole.push(tw); detail.push(a); plans.push(b);
    if (c !== null) confs.push(c);
  }
}));
const label = `page ${MODE}${CLIENT === 'fetch' ? '' : '/' + CLIENT} (${user})`;
console.log(`${label.padEnd(26)} c=${CLIENTS} n=${two.length} 2 calls ${fmt(two)} | as opened ${fmt(whole)} ` +
  `pages/s=${(two.length / SECONDS).toFixed(0)}`);
console.log(`${''.padEnd(26)} detail ${fmt(detail)} | plans ${fmt(plans)} | conferences ${fmt(confs)}`);
