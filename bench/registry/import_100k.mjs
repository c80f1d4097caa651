// Import benchmark over real HTTP: generates an N-row CSV of children with families (valid ID
// numbers, parents' states, guardians) for the communities of the caller's district, then times
// the upload (POST /children/import/preview, which stages the file and returns a token), the dry
// run and the committing import, both referring to the staged upload.
//   TH_BASE_URL=http://127.0.0.1:18400 node bench/registry/import_100k.mjs [rows] [user]
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const BASE = process.env.TH_BASE_URL ?? 'http://127.0.0.1:18400';
const ROWS = Number(process.argv[2] ?? 100000);
const USER = process.argv[3] ?? 'district';

async function login(user) {
  const r = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: 'Demo@2026tonghu' }),
  });
  if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
  const j = await r.json();
  return { cookie: /th_session=([^;]*)/.exec(r.headers.get('set-cookie'))[0], csrf: j.csrf_token };
}

async function get(s, path) {
  const r = await fetch(BASE + path, { headers: { Cookie: s.cookie } });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function communities(s) {
  const out = [];
  const walk = async (parent) => {
    const j = await get(s, parent ? `/api/v1/org-units?parent_id=${parent}` : '/api/v1/org-units');
    for (const u of j.items) {
      if (u.level === 'community') out.push(u.code);
      else if (u.level !== 'grid') await walk(u.id);
    }
  };
  await walk(null);
  return out;
}

// Deterministic pseudo-random numbers (mulberry32) so runs generate the same file.
let seed = 20260921;
function rnd() {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idFor(region, birth, seq) {
  const first17 = `${region}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * W[i];
  return first17 + '10X98765432'[sum % 11];
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['子涵', '欣怡', '梓涵', '晨曦', '浩然', '宇轩', '一诺', '思远', '雨桐', '梓萱', '俊杰', '佳怡', '明轩', '诗涵', '嘉怡'];
const STATES = ['在家', '在家', '在家', '外出务工', '外出务工', '服刑在押', '重病', '失联', '死亡'];
// Regions that do not collide with the demo generator's numbers: a fresh 6-digit prefix per run.
const REGIONS = ['511321', '511322', '511323', '511324', '511325', '511303', '511304', '513722'];

function generate(codes) {
  const header = '姓名,性别,出生日期,身份证号,户籍地址,现住址,社区,父亲姓名,父亲身份证号,父亲状态,父亲状态起始日期,' +
    '母亲姓名,母亲状态,母亲状态起始日期,监护人姓名,监护人关系,监护人电话';
  const lines = [header];
  const used = new Set();
  for (let i = 0; i < ROWS; i++) {
    const male = rnd() < 0.52;
    let birth, seq, id;
    do {
      const y = 2009 + Math.floor(rnd() * 17);
      const m = 1 + Math.floor(rnd() * 12);
      const d = 1 + Math.floor(rnd() * 28);
      birth = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      seq = Math.floor(rnd() * 500) * 2 + (male ? 1 : 2);
      if (seq >= 1000) seq -= 2;
      id = idFor(pick(REGIONS), birth, seq);
    } while (used.has(id));
    used.add(id);
    const sur = pick(SURNAMES);
    const fState = pick(STATES);
    const mState = pick(STATES);
    const fatherBirth = `19${80 + Math.floor(rnd() * 15)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`;
    const grand = rnd() < 0.5;
    lines.push([
      sur + pick(GIVEN), male ? '男' : '女', birth, id, '四川省南充市某县某镇', '某小区' + (i % 300) + '栋',
      pick(codes), sur + '建国', idFor('511321', fatherBirth, 11 + 2 * Math.floor(rnd() * 400)), fState,
      fState === '在家' ? '' : '2024-0' + (1 + Math.floor(rnd() * 9)) + '-01',
      pick(SURNAMES) + '秀梅', mState, mState === '在家' ? '' : '2023-1' + Math.floor(rnd() * 3) + '-01',
      grand ? sur + '奶奶' : '', grand ? '祖母' : '', grand ? '13' + String(Math.floor(rnd() * 1e9)).padStart(9, '0') : '',
    ].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

async function post(s, path, body, type = 'text/csv') {
  const t0 = performance.now();
  const r = await fetch(BASE + path, {
    method: 'POST', body,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': type },
  });
  const text = await r.text();
  const ms = performance.now() - t0;
  let json = null;
  try { json = JSON.parse(text); } catch { /* keep text */ }
  return { status: r.status, ms, json, text };
}

// The server's resident set now and at its peak (VmRSS / VmHWM), when the caller names its pid.
function rss() {
  const pid = process.env.TH_SERVER_PID;
  if (!pid) return '';
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Math.round(Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)[1]) / 1024);
  return `; server RSS ${kb('VmRSS')} MB (peak ${kb('VmHWM')} MB)`;
}

const s = await login(USER);
const codes = await communities(s);
if (!codes.length) throw new Error('no communities visible to ' + USER);
const t0 = performance.now();
const csv = generate(codes);
const genMs = performance.now() - t0;
const file = `/tmp/import_${ROWS}.csv`;
writeFileSync(file, csv);
console.log(`# machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}`);
console.log(`# generated ${ROWS} rows over ${codes.length} communities in ${(genMs / 1000).toFixed(1)} s: ${file} (${(csv.length / 2 ** 20).toFixed(1)} MiB of UTF-16 chars)`);
const body = Buffer.from(csv, 'utf8');
// The file is sent once (preview stages it server-side); the dry run and the commit refer to the token.
const pre = await post(s, '/api/v1/children/import/preview?file_name=bench.csv', body);
if (pre.status !== 200) throw new Error(`preview ${pre.status}: ${pre.text.slice(0, 500)}`);
console.log(`upload+preview: HTTP ${pre.status}, ${(pre.ms / 1000).toFixed(2)} s wall, ${pre.json.rows} rows, token kept until ${new Date(pre.json.expires_at).toISOString()}${rss()}`);
const token = pre.json.upload_token;
const json = (o) => JSON.stringify({ upload_token: token, ...o });
const dry = await post(s, '/api/v1/children/import', json({ dry_run: true }), 'application/json');
if (dry.status !== 200) throw new Error(`dry run ${dry.status}: ${dry.text.slice(0, 500)}`);
console.log(`dry run : HTTP ${dry.status}, ${(dry.ms / 1000).toFixed(2)} s wall (server ${(dry.json.elapsed_ms / 1000).toFixed(2)} s), valid ${dry.json.valid}, rejected rows ${dry.json.rejected_rows}${rss()}`);
if (dry.json.rejected_rows) console.log('first rejects:', JSON.stringify(dry.json.rejected.slice(0, 3)));
const commit = await post(s, '/api/v1/children/import', json({}), 'application/json');
if (commit.status !== 201) throw new Error(`commit ${commit.status}: ${commit.text.slice(0, 500)}`);
console.log(`commit  : HTTP ${commit.status}, ${(commit.ms / 1000).toFixed(2)} s wall (server ${(commit.json.elapsed_ms / 1000).toFixed(2)} s), created ${commit.json.created}${rss()}`);
