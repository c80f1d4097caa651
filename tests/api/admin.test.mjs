import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs, uniq, unitByName } from './client.mjs';

test('another jurisdiction reads as not found (404), never 403', async () => {
  const sup = await loginAs('supervisor'); // 布吉街道
  const admin = await loginAs('admin');
  const bantian = await unitByName(admin, '坂田街道');
  const director2 = (await admin.get('/api/v1/users?q=director2')).json.items[0];
  let r = await sup.get(`/api/v1/org-units/${bantian.id}`);
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  r = await sup.get(`/api/v1/org-units?parent_id=${bantian.id}`);
  assert.equal(r.status, 404);
  r = await sup.get(`/api/v1/users/${director2.id}`);
  assert.equal(r.status, 404);
  r = await sup.get('/api/v1/users?page_size=200');
  assert.ok(r.json.items.length > 0);
  assert.ok(r.json.items.every((u) => u.username !== 'director2' && u.username !== 'admin'));
  // Search never leaks units outside the subtree.
  r = await sup.get(`/api/v1/org-units?q=${encodeURIComponent('坂田')}`);
  assert.equal(r.json.total, 0);
  // A district admin cannot create a user in a unit outside the subtree either.
  const d2 = await loginAs('director2');
  r = await d2.get(`/api/v1/org-units/${(await unitByName(admin, '布吉社区')).id}`);
  assert.equal(r.status, 404);
});

test('permissions: read-only roles cannot change anything', async () => {
  const leader = await loginAs('leader');
  const admin = await loginAs('admin');
  const buji = await unitByName(admin, '布吉街道');
  let r = await leader.patch(`/api/v1/org-units/${buji.id}`, { name: '改名', version: buji.version });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');
  r = await leader.post('/api/v1/users', { username: uniq('x'), display_name: 'x', role: 'grid_worker', org_unit_id: buji.id });
  assert.equal(r.status, 403);
  const director = await loginAs('director');
  r = await director.get('/api/v1/users');
  assert.equal(r.status, 403);
  r = await director.get('/api/v1/audit');
  assert.equal(r.status, 403);
});

test('org units: create, rename with versions (409 on stale), move, retire', async () => {
  const admin = await loginAs('admin');
  const district = await unitByName(admin, '龙岗区');
  const code = `4403070${String(50 + Math.floor(Math.random() * 40)).padStart(2, '0')}000`;
  let r = await admin.post('/api/v1/org-units', { parent_id: district.id, code, name: '测试街道', level: 'street' });
  if (r.status === 409) return; // rerun against the same database: the code exists already
  assert.equal(r.status, 201, r.text);
  const street = r.json;
  assert.equal(street.version, 1);
  assert.deepEqual(street.path_names.slice(-2), ['龙岗区', '测试街道']);
  // Bad codes and levels are refused with the field named.
  r = await admin.post('/api/v1/org-units', { parent_id: street.id, code: '12345', name: '坏代码', level: 'community' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'code');
  r = await admin.post('/api/v1/org-units', { parent_id: street.id, code: '440307001009', name: '别处社区', level: 'community' });
  assert.equal(r.status, 400, 'community code must extend the street code');
  r = await admin.post('/api/v1/org-units', { parent_id: district.id, code: code.slice(0, 9) + '001', name: '跳级', level: 'community' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_level');
  r = await admin.post('/api/v1/org-units', { parent_id: district.id, code, name: '重复', level: 'street' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'duplicate');
  // Community + grid.
  r = await admin.post('/api/v1/org-units', { parent_id: street.id, code: code.slice(0, 9) + '001', name: '测试社区', level: 'community' });
  assert.equal(r.status, 201, r.text);
  const community = r.json;
  r = await admin.post('/api/v1/org-units', { parent_id: community.id, code: community.code + '-G01', name: '测试网格', level: 'grid' });
  assert.equal(r.status, 201, r.text);
  const grid = r.json;
  // Rename with the right version, then again with the stale one.
  r = await admin.patch(`/api/v1/org-units/${street.id}`, { name: '测试街道(改)', version: 1 });
  assert.equal(r.status, 200);
  assert.equal(r.json.version, 2);
  r = await admin.patch(`/api/v1/org-units/${street.id}`, { name: '又一次', version: 1 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'stale_version');
  assert.equal((await admin.get(`/api/v1/org-units/${street.id}`)).json.name, '测试街道(改)');
  // Move the community under 布吉街道: its grid's path follows.
  const buji = await unitByName(admin, '布吉街道');
  r = await admin.post(`/api/v1/org-units/${community.id}/move`, { parent_id: buji.id, version: community.version });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.path.startsWith(buji.path));
  r = await admin.get(`/api/v1/org-units/${grid.id}`);
  assert.ok(r.json.path.startsWith(buji.path), 'descendants move with their unit');
  // A unit cannot move under its own descendant.
  const buji2 = (await admin.get(`/api/v1/org-units/${buji.id}`)).json;
  r = await admin.post(`/api/v1/org-units/${buji.id}/move`, { parent_id: grid.id, version: buji2.version });
  assert.equal(r.status, 400);
  // Retire: refused while children are active.
  const comm = (await admin.get(`/api/v1/org-units/${community.id}`)).json;
  r = await admin.post(`/api/v1/org-units/${community.id}/retire`, { version: comm.version });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'has_active_children');
  const g = (await admin.get(`/api/v1/org-units/${grid.id}`)).json;
  r = await admin.post(`/api/v1/org-units/${grid.id}/retire`, { version: g.version });
  assert.equal(r.status, 200);
  assert.equal(r.json.retired, true);
  r = await admin.get(`/api/v1/org-units?parent_id=${community.id}`);
  assert.equal(r.json.items.length, 0);
  r = await admin.get(`/api/v1/org-units?parent_id=${community.id}&include_retired=1`);
  assert.equal(r.json.items.length, 1);
  // Every change is in the audit log with before and after.
  r = await admin.get(`/api/v1/audit?object_type=org_unit&object_id=${street.id}`);
  const rename = r.json.items.find((e) => e.action === 'org.rename');
  assert.equal(rename.before.name, '测试街道');
  assert.equal(rename.after.name, '测试街道(改)');
});

test('bad bodies: malformed JSON, unknown fields, wrong types, oversized, wrong media type', async () => {
  const admin = await loginAs('admin');
  const district = await unitByName(admin, '龙岗区');
  let r = await admin.request('POST', '/api/v1/org-units', { body: '{"parent_id": 1, "code": ', raw: true, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'malformed_json');
  r = await admin.post('/api/v1/org-units', { parent_id: district.id, code: '440307098000', name: 'x', level: 'street', colour: 'red' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  assert.equal(r.json.error.field, 'colour');
  r = await admin.post('/api/v1/org-units', { parent_id: 'one', code: '440307098000', name: 'x', level: 'street' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'parent_id');
  r = await admin.post('/api/v1/org-units', { parent_id: district.id, code: '440307098000', level: 'street' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'required');
  assert.equal(r.json.error.field, 'name');
  const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
  r = await admin.request('PATCH', `/api/v1/org-units/${district.id}`, { body: big, raw: true, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'payload_too_large');
  r = await admin.request('POST', '/api/v1/org-units', { body: 'a=b', raw: true, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415);
  r = await admin.get('/api/v1/users?page_size=500');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'page_size');
  r = await admin.get('/api/v1/users/abc');
  assert.equal(r.status, 400);
  // The server is still healthy and nothing was written.
  r = await admin.get('/api/v1/org-units?q=440307098000');
  assert.equal(r.json.total, 0);
});

test('users: create in jurisdiction, paging, edit with versions, reset password, role grants', async () => {
  const admin = await loginAs('admin');
  const community = await unitByName(admin, '罗岗社区');
  const username = uniq('u');
  let r = await admin.post('/api/v1/users', { username, display_name: '测试儿童主任', role: 'child_director', org_unit_id: community.id, phone: '139 1234 5678' });
  assert.equal(r.status, 201, r.text);
  const user = r.json.user;
  assert.equal(user.phone_masked, '139****5678');
  assert.ok(!r.text.includes('13912345678'), 'the full phone number never leaves the server');
  assert.match(r.json.initial_password, /^[A-Za-z0-9]{12}$/);
  r = await admin.post('/api/v1/users', { username, display_name: 'dup', role: 'grid_worker', org_unit_id: community.id });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'username');
  r = await admin.post('/api/v1/users', { username: 'Bad Name', display_name: 'x', role: 'grid_worker', org_unit_id: community.id });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'username');
  r = await admin.post('/api/v1/users', { username: uniq('r'), display_name: 'x', role: 'emperor', org_unit_id: community.id });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'role');
  r = await admin.post('/api/v1/users', { username: uniq('p'), display_name: 'x', role: 'grid_worker', org_unit_id: community.id, phone: '12345' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'phone');
  // A district user (not sysadmin) cannot mint system administrators.
  const district = await loginAs('district');
  r = await district.post('/api/v1/users', { username: uniq('s'), display_name: 'x', role: 'sysadmin', org_unit_id: community.id });
  assert.equal(r.status, 403);
  // Edit with version; stale → 409.
  r = await admin.patch(`/api/v1/users/${user.id}`, { display_name: '改名后', version: user.version });
  assert.equal(r.status, 200);
  assert.equal(r.json.display_name, '改名后');
  r = await admin.patch(`/api/v1/users/${user.id}`, { display_name: '再改', version: user.version });
  assert.equal(r.status, 409);
  // Reset password issues a new one that must be changed.
  r = await admin.post(`/api/v1/users/${user.id}/reset-password`);
  assert.equal(r.status, 200);
  const c = new Client();
  r = await c.login(username, r.json.initial_password);
  assert.equal(r.status, 200);
  assert.equal(r.json.user.must_change_password, true);
  // Paging and filters.
  r = await admin.get(`/api/v1/users?page=1&page_size=2`);
  assert.equal(r.json.items.length, 2);
  assert.ok(r.json.total >= 9);
  const p2 = await admin.get(`/api/v1/users?page=2&page_size=2`);
  assert.notEqual(p2.json.items[0].id, r.json.items[0].id);
  r = await admin.get(`/api/v1/users?role=child_director&org_unit_id=${community.id}`);
  assert.ok(r.json.items.every((u) => u.role.code === 'child_director' && u.org_unit.id === community.id));
  r = await admin.get('/api/v1/roles');
  assert.equal(r.json.items.length, 9);  // issue 11 adds mandatory_reporter 强制报告责任人
  assert.deepEqual(r.json.items.find((x) => x.code === 'mandatory_reporter').permissions, ['report.mandatory']);
  assert.ok(r.json.items.find((x) => x.code === 'leader').permissions.every((p) => p.endsWith('.read')));
});

test('agencies: stations, departments and social organizations per unit', async () => {
  const admin = await loginAs('admin');
  const district = await unitByName(admin, '龙岗区');
  let r = await admin.get(`/api/v1/agencies?org_unit_id=${district.id}&kind=department&page_size=50`);
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((a) => a.dept_type === 'education'));
  r = await admin.post('/api/v1/agencies', { org_unit_id: district.id, kind: 'department', dept_type: 'magic', name: '魔法部' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'dept_type');
  r = await admin.post('/api/v1/agencies', { org_unit_id: district.id, kind: 'social_org', name: uniq('阳光社工'), contact: '林老师', phone: '0755-12345678' });
  assert.equal(r.status, 201, r.text);
  const a = r.json;
  r = await admin.patch(`/api/v1/agencies/${a.id}`, { org_unit_id: district.id, kind: 'social_org', name: a.name + '(改)', version: a.version });
  assert.equal(r.status, 200);
  r = await admin.patch(`/api/v1/agencies/${a.id}`, { org_unit_id: district.id, kind: 'social_org', name: 'stale', version: a.version });
  assert.equal(r.status, 409);
  r = await admin.post(`/api/v1/agencies/${a.id}/retire`, { version: a.version + 1 });
  assert.equal(r.json.retired, true);
  const sup = await loginAs('supervisor');
  r = await sup.get(`/api/v1/agencies/${a.id}`);
  assert.equal(r.status, 404, 'a district-level agency is outside a street supervisor\'s subtree');
});

const GBK_IMPORT = Buffer.from(
  '636f64652c6e616d652c6c6576656c2c706172656e745f636f64650d0a3434303330373030393030302cc1fab8dab2e2cad4bdd6b5c02c7374726565742c3434303330373030303030300d0a3434303330373030393030312cbcd7d2d2c9e7c7f82c636f6d6d756e6974792c3434303330373030393030300d0a',
  'hex');

test('org import: GBK CSV, dry run, row-by-row rejects with nothing written, then success', async () => {
  const admin = await loginAs('admin');
  const csvHeaders = { 'Content-Type': 'text/csv' };
  let r = await admin.get('/api/v1/org-units?q=440307009000');
  if (r.json.total > 0) return; // already imported by an earlier run against this database
  // A file with errors: bad code, unknown parent, duplicate row. Nothing may be written.
  const bad = 'code,name,level,parent_code\n440307008000,好街道,street,440307000000\n44030700X000,坏代码,street,440307000000\n440307008001,孤儿社区,community,440307777000\n440307008000,重复,street,440307000000\n';
  r = await admin.request('POST', '/api/v1/org-units/import', { body: bad, raw: true, headers: csvHeaders });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'import_rejected');
  const lines = r.json.rejected.map((x) => x.line).sort();
  assert.deepEqual(lines, [3, 4, 5]);
  r = await admin.get('/api/v1/org-units?q=440307008000');
  assert.equal(r.json.total, 0, 'the good row was not half-written');
  // Broken quoting is a clear error naming the line.
  r = await admin.request('POST', '/api/v1/org-units/import', { body: 'code,name\n"440307008000,x\n', raw: true, headers: csvHeaders });
  assert.equal(r.status, 400);
  // GBK file as Excel saves it: dry run first.
  r = await admin.request('POST', '/api/v1/org-units/import?dry_run=1', { body: GBK_IMPORT, raw: true, headers: csvHeaders });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 2);
  assert.equal(r.json.dry_run, true);
  assert.equal(r.json.charset, 'gb18030');
  r = await admin.get('/api/v1/org-units?q=440307009000');
  assert.equal(r.json.total, 0, 'a dry run writes nothing');
  r = await admin.request('POST', '/api/v1/org-units/import', { body: GBK_IMPORT, raw: true, headers: csvHeaders });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 2);
  r = await admin.get(`/api/v1/org-units?q=${encodeURIComponent('甲乙社区')}`);
  assert.equal(r.json.total, 1);
  assert.deepEqual(r.json.items[0].path_names.slice(-2), ['龙岗测试街道', '甲乙社区']);
  // Importing the same file again changes nothing.
  r = await admin.request('POST', '/api/v1/org-units/import', { body: GBK_IMPORT, raw: true, headers: csvHeaders });
  assert.equal(r.json.created, 0);
  assert.equal(r.json.unchanged, 2);
});

test('audit log: filters, newest first, scoped, and the hash chain verifies', async () => {
  const admin = await loginAs('admin');
  let r = await admin.get('/api/v1/audit?action=auth.login&page_size=5');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length > 0);
  assert.ok(r.json.items.every((e) => e.action === 'auth.login'));
  const ids = r.json.items.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.match(r.json.items[0].hash, /^[0-9a-f]{64}$/);
  assert.ok(r.json.items[0].client_ip.length > 0);
  r = await admin.get(`/api/v1/audit?from=${Date.now() - 3600_000}&to=${Date.now() + 1000}&action=user.`);
  assert.ok(r.json.items.every((e) => e.action.startsWith('user.')));
  r = await admin.get('/api/v1/audit/verify');
  assert.equal(r.status, 200);
  assert.equal(r.json.ok, true);
  assert.ok(r.json.checked > 10);
  // A street-level reader would only see its own subtree: the leader sits at the district.
  const leader = await loginAs('leader');
  r = await leader.get('/api/v1/audit?page_size=200');
  assert.equal(r.status, 200);
});
