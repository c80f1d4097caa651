import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, Client, DEMO_PASSWORD, loginAs, uniq, unitByName } from './client.mjs';

test('health answers without a session and names the engine', async () => {
  const r = await new Client().get('/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.database, process.env.TH_ENGINE ?? r.json.database);
});

test('wrong password is 401 with a Chinese message, English on request', async () => {
  let r = await new Client().login('director', 'not-the-password1');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_credentials');
  assert.equal(r.json.error.message, '用户名或密码错误');
  r = await new Client({ lang: 'en-US' }).login('nobody-here', 'whatever123');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_credentials');
  assert.equal(r.json.error.message, 'Wrong username or password');
});

test('login sets a strict HttpOnly cookie and /me shows role and jurisdiction', async () => {
  const c = new Client();
  const r = await c.login('supervisor');
  assert.equal(r.status, 200);
  assert.match(r.setCookie, /th_session=[A-Za-z0-9_-]{40,}/);
  assert.match(r.setCookie, /HttpOnly/i);
  assert.match(r.setCookie, /SameSite=Strict/i);
  assert.doesNotMatch(r.setCookie, /Secure/i, 'no Secure flag over plain http');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.username, 'supervisor');
  assert.equal(me.json.role.code, 'street_supervisor');
  assert.equal(me.json.org_unit.name, '布吉街道');
  assert.deepEqual(me.json.org_unit.path_names.slice(-2), ['龙岗区', '布吉街道']);
  assert.ok(me.json.permissions.includes('user.read'));
  assert.ok(!me.json.permissions.includes('user.manage'));
  assert.equal(me.json.csrf_token, c.csrf);
});

test('no session is 401; a garbage cookie is 401', async () => {
  assert.equal((await new Client().get('/api/v1/me')).status, 401);
  const c = new Client();
  c.cookie = 'th_session=garbage';
  const r = await c.get('/api/v1/users');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthenticated');
});

test('state-changing requests need the CSRF token', async () => {
  const c = await loginAs('admin');
  const district = await unitByName(c, '龙岗区');
  const body = { parent_id: district.id, code: '440307099000', name: 'CSRF测试街道', level: 'street' };
  let r = await c.request('POST', '/api/v1/org-units', { body, csrf: false });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'csrf_failed');
  r = await c.request('POST', '/api/v1/org-units', { body, csrf: false, headers: { 'X-CSRF-Token': 'forged' } });
  assert.equal(r.status, 403);
  // Nothing was created.
  r = await c.get('/api/v1/org-units?q=CSRF测试街道');
  assert.equal(r.json.total, 0);
});

test('logout ends the session; logout-all ends every session', async () => {
  const a = await loginAs('social');
  const b = await loginAs('social');
  let r = await a.post('/api/v1/auth/logout');
  assert.equal(r.status, 204);
  assert.equal((await a.get('/api/v1/me')).status, 401);
  assert.equal((await b.get('/api/v1/me')).status, 200);
  const c = await loginAs('social');
  r = await c.post('/api/v1/auth/logout-all');
  assert.equal(r.status, 204);
  assert.equal((await b.get('/api/v1/me')).status, 401);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('repeated failures lock the account; an admin unlocks it; issued passwords must be changed', async () => {
  const admin = await loginAs('admin');
  const unit = await unitByName(admin, '布吉社区');
  const username = uniq('lock');
  let r = await admin.post('/api/v1/users', { username, display_name: '锁定测试', role: 'grid_worker', org_unit_id: unit.id });
  assert.equal(r.status, 201, r.text);
  const issued = r.json.initial_password;
  const userId = r.json.user.id;
  assert.equal(r.json.user.must_change_password, true);
  for (let i = 0; i < 4; i++) {
    r = await new Client().login(username, 'wrong-password-1');
    assert.equal(r.status, 401);
  }
  r = await new Client().login(username, 'wrong-password-1');
  assert.equal(r.status, 423);
  assert.equal(r.json.error.code, 'account_locked');
  r = await new Client().login(username, issued);
  assert.equal(r.status, 423, 'the right password does not open a locked account');
  r = await admin.get(`/api/v1/users/${userId}`);
  assert.ok(r.json.locked_until > Date.now());
  r = await admin.post(`/api/v1/users/${userId}/unlock`);
  assert.equal(r.status, 200);
  const u = new Client();
  r = await u.login(username, issued);
  assert.equal(r.status, 200);
  assert.equal(r.json.user.must_change_password, true);
  r = await u.get('/api/v1/org-units');
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'password_change_required');
  r = await u.post('/api/v1/me/password', { old_password: issued, new_password: 'short1' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'new_password');
  r = await u.post('/api/v1/me/password', { old_password: 'wrong', new_password: 'Longer-pass-2026' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'old_password');
  r = await u.post('/api/v1/me/password', { old_password: issued, new_password: 'Longer-pass-2026' });
  assert.equal(r.status, 204);
  r = await u.get('/api/v1/org-units');
  assert.equal(r.status, 200);
  // The audit log recorded the failures and the lock.
  r = await admin.get(`/api/v1/audit?object_type=user&object_id=${userId}&page_size=50`);
  const actions = r.json.items.map((e) => e.action);
  assert.ok(actions.includes('auth.locked'), actions.join(','));
  assert.ok(actions.filter((a) => a === 'auth.login_failed').length >= 5);
  assert.ok(actions.includes('user.unlock'));
  assert.ok(actions.includes('user.password_change'));
});

test('a disabled account cannot log in and loses its sessions', async () => {
  const admin = await loginAs('admin');
  const unit = await unitByName(admin, '布吉街道');
  const username = uniq('dis');
  let r = await admin.post('/api/v1/users', { username, display_name: '停用测试', role: 'social_worker', org_unit_id: unit.id });
  const id = r.json.user.id;
  const u = new Client();
  await u.login(username, r.json.initial_password);
  await u.post('/api/v1/me/password', { old_password: r.json.initial_password, new_password: 'Another-pass-99' });
  assert.equal((await u.get('/api/v1/me')).status, 200);
  r = await admin.post(`/api/v1/users/${id}/disable`);
  assert.equal(r.json.disabled, true);
  assert.equal((await u.get('/api/v1/me')).status, 401);
  r = await new Client().login(username, 'Another-pass-99');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'account_disabled');
  r = await admin.post(`/api/v1/users/${id}/enable`);
  assert.equal(r.json.disabled, false);
  assert.equal((await new Client().login(username, 'Another-pass-99')).status, 200);
  // An admin cannot disable themselves.
  const me = await admin.get('/api/v1/me');
  r = await admin.post(`/api/v1/users/${me.json.id}/disable`);
  assert.equal(r.status, 400);
});

test('security headers on API responses and on the web app, deep links served', async () => {
  let r = await fetch(BASE + '/api/v1/health');
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  r = await fetch(BASE + '/system/users');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(await r.text(), /<div id="app">/);
  assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  r = await fetch(BASE + '/api/v1/no-such-thing');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'not_found');
});

test('demo password is never echoed and the demo accounts all log in', async () => {
  for (const u of ['admin', 'district', 'supervisor', 'director', 'director2', 'grid', 'social', 'liaison', 'leader']) {
    const r = await new Client().login(u, DEMO_PASSWORD);
    assert.equal(r.status, 200, u);
    assert.ok(!r.text.includes(DEMO_PASSWORD));
    assert.ok(!r.text.includes('argon2'));
  }
});

// Issue 9 item 10: an office logs in at once from one address. The logins queue for a hashing
// slot (never answered 429 at once), and a request of a logged-in user is served meanwhile.
test('16 concurrent correct logins all succeed; other requests are served while they queue', async () => {
  const accounts = ['admin', 'district', 'supervisor', 'director', 'director2', 'grid', 'social', 'liaison'];
  const reader = await loginAs('leader');
  const started = Date.now();
  const logins = Array.from({ length: 16 }, (_, i) => new Client().login(accounts[i % accounts.length], DEMO_PASSWORD));
  const during = await reader.get('/api/v1/me');
  const duringMs = Date.now() - started;
  const results = await Promise.all(logins);
  const statuses = results.map((r) => r.status);
  assert.deepEqual(statuses, Array(16).fill(200), statuses.join(','));
  assert.equal(during.status, 200);
  assert.ok(duringMs < 2000, `a logged-in user's request took ${duringMs} ms during the login storm`);
});
