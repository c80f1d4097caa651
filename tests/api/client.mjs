// A tiny HTTP client for the API tests: keeps the session cookie and CSRF token like a browser.
export const BASE = process.env.TH_BASE_URL ?? 'http://127.0.0.1:8080';
export const DEMO_PASSWORD = 'Demo@2026tonghu';

export class Client {
  constructor({ lang = 'zh-CN' } = {}) {
    this.cookie = '';
    this.csrf = '';
    this.lang = lang;
  }

  async request(method, path, { body, headers = {}, raw = false, csrf = true } = {}) {
    const h = { 'Accept-Language': this.lang, ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload = body;
    if (body !== undefined && !raw) {
      h['Content-Type'] = h['Content-Type'] ?? 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /th_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `th_session=${m[1]}` : '';
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, json, text, setCookie };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
  patch(path, body, opts = {}) { return this.request('PATCH', path, { ...opts, body }); }

  async login(username, password = DEMO_PASSWORD) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

export async function loginAs(username, password = DEMO_PASSWORD) {
  const c = new Client();
  const r = await c.login(username, password);
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text}`);
  return c;
}

let seq = 0;
// A unique lower-case suffix so repeated runs against one database do not collide.
export function uniq(prefix) {
  seq += 1;
  return `${prefix}${Date.now().toString(36)}${seq}`;
}

// Finds an org unit by exact name within the caller's subtree.
export async function unitByName(client, name) {
  const r = await client.get(`/api/v1/org-units?q=${encodeURIComponent(name)}&page_size=50`);
  const u = r.json?.items?.find((x) => x.name === name);
  if (!u) throw new Error(`unit ${name} not visible: ${r.status} ${r.text}`);
  return u;
}

// GB 11643 check character of the first 17 digits.
export function checkChar(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return '10X98765432'[sum % 11];
}

// A valid ID number for a birth date (YYYY-MM-DD) and sex (odd sequence = male) in `region`,
// with a random sequence.
export function makeId(birth, male = true, region = '440307') {
  let seq = Math.floor(Math.random() * 500) * 2 + (male ? 1 : 0);
  if (seq === 0) seq = 2;
  const first17 = `${region}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

// A birth date between 2012 and 2019.
export function randomBirth() {
  const y = 2012 + Math.floor(Math.random() * 8);
  const m = 1 + Math.floor(Math.random() * 12);
  const d = 1 + Math.floor(Math.random() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// A 1×1 PNG (a valid child photo).
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

// Polls a screening batch until the server's worker is done with it (status done or failed).
export async function waitBatch(client, id) {
  for (let i = 0; i < 600; i++) {
    const b = (await client.get(`/api/v1/screening/batches/${id}`)).json;
    if (b.status === 'done' || b.status === 'failed') return b;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`batch ${id} not finished`);
}
