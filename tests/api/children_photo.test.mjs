// Child file photo (照片) and change reasons (变更原因) over real HTTP, and staged import uploads
// (upload token: owner only, usable for dry run and import, gone after a committed import).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth } from './client.mjs';

// 1×1 PNG; a JPEG and a WebP header are enough for the magic-byte check.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([30, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(22, 1)]);


async function newChild(director) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const r = await director.post('/api/v1/children', {
    name: '照片测试', sex: 'male', birth_date: birth, id_number: makeId(birth), community_id: me.org_unit.id,
    family: [{ relation: 'father', name: '照父', state: 'working_away' }],
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

function putPhoto(client, id, version, body, reason = '') {
  const q = `version=${version}` + (reason ? `&reason=${encodeURIComponent(reason)}` : '');
  return client.request('PUT', `/api/v1/child-photos/${id}?${q}`, {
    body, raw: true, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

test('photo: upload, view (audited, private no-store), replace, wrong type, oversize, stale, scope, remove', async () => {
  const director = await loginAs('director');
  const district = await loginAs('district');
  const file = await newChild(director);

  let info = await director.get(`/api/v1/child-photos/${file.id}/info`);
  assert.equal(info.status, 200, info.text);
  assert.equal(info.json.photo, null);
  assert.equal((await director.get(`/api/v1/child-photos/${file.id}`)).status, 404);

  let r = await putPhoto(director, file.id, file.version, PNG, '建档拍照');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.content_type, 'image/png');
  assert.equal(r.json.size_bytes, PNG.length);
  assert.equal(r.json.photo_version, 1);
  assert.equal(r.json.version, file.version + 1, 'the photo is part of the file: its version moves');

  // The image comes back byte for byte, never cached.
  const res = await fetch(`${process.env.TH_BASE_URL ?? 'http://127.0.0.1:8080'}/api/v1/child-photos/${file.id}`, {
    headers: { Cookie: director.cookie },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
  // Each view is an audit entry (like a file read); the change carries its reason.
  let audit = await district.get(`/api/v1/audit?action=child.photo_read&object_type=child&object_id=${file.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.total, 1);
  audit = await district.get(`/api/v1/audit?action=child.photo_set&object_type=child&object_id=${file.id}`);
  assert.equal(audit.json.total, 1);
  assert.equal(audit.json.items[0].purpose, '建档拍照');
  // 变更记录 shows the change, not the views.
  const hist = (await director.get(`/api/v1/children/${file.id}/history`)).json;
  assert.ok(hist.items.some((e) => e.action === 'child.photo_set' && e.purpose === '建档拍照'));
  assert.ok(!hist.items.some((e) => e.action === 'child.photo_read'));

  // The stored version moved: the old one is stale.
  r = await putPhoto(director, file.id, file.version, JPEG);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'stale_version');
  r = await putPhoto(director, file.id, file.version + 1, JPEG);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.content_type, 'image/jpeg');
  assert.equal(r.json.photo_version, 2);
  r = await putPhoto(director, file.id, file.version + 2, WEBP);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.content_type, 'image/webp');
  let v = r.json.version;

  // Type by magic bytes, whatever the client claims.
  r = await director.request('PUT', `/api/v1/child-photos/${file.id}?version=${v}`, {
    body: '<svg xmlns="http://www.w3.org/2000/svg"/>', raw: true, headers: { 'Content-Type': 'image/png' },
  });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'invalid_photo_type');
  assert.equal(r.json.error.field, 'photo');
  // Over 5 MiB: 413 with a clear code.
  const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024, 0)]);
  r = await putPhoto(director, file.id, v, big);
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json.error.code, 'photo_too_large');
  // Missing version.
  r = await director.request('PUT', `/api/v1/child-photos/${file.id}`, { body: PNG, raw: true });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'version');

  // Another community's director: 404 for view, info, upload and removal.
  const other = await loginAs('director2');
  assert.equal((await other.get(`/api/v1/child-photos/${file.id}`)).status, 404);
  assert.equal((await other.get(`/api/v1/child-photos/${file.id}/info`)).status, 404);
  assert.equal((await putPhoto(other, file.id, v, PNG)).status, 404);
  assert.equal((await other.request('DELETE', `/api/v1/child-photos/${file.id}?version=${v}`)).status, 404);
  // Read-only roles see it but cannot change it.
  const leader = await loginAs('leader');
  assert.equal((await leader.get(`/api/v1/child-photos/${file.id}`)).status, 200);
  assert.equal((await putPhoto(leader, file.id, v, PNG)).status, 403);

  // Remove: audited, version moves, then 404.
  r = await director.request('DELETE', `/api/v1/child-photos/${file.id}?version=${v}&reason=${encodeURIComponent('家长要求删除')}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, v + 1);
  assert.equal((await director.get(`/api/v1/child-photos/${file.id}`)).status, 404);
  audit = await district.get(`/api/v1/audit?action=child.photo_remove&object_type=child&object_id=${file.id}`);
  assert.equal(audit.json.total, 1);
  assert.equal(audit.json.items[0].purpose, '家长要求删除');
  const f2 = (await director.get(`/api/v1/children/${file.id}`)).json;
  assert.equal(f2.version, v + 1);
});

test('change reason: required for identity fields, optional otherwise, stored in the change history', async () => {
  const director = await loginAs('director');
  const file = await newChild(director);
  // Identity field without a reason: 400 naming the field "reason"; nothing changed.
  let r = await director.patch(`/api/v1/children/${file.id}`, { name: '照片测试改', version: file.version });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'reason_required');
  assert.equal(r.json.error.field, 'reason');
  r = await director.patch(`/api/v1/children/${file.id}`, { name: '照片测试改', version: file.version, reason: ' ' });
  assert.equal(r.json.error.code, 'reason_required');
  // A reason never lets an inconsistent change through: sex is still checked against the ID number.
  r = await director.patch(`/api/v1/children/${file.id}`, { sex: 'female', version: file.version, reason: '性别登记错误' });
  assert.equal(r.json.error.code, 'id_sex_mismatch');
  r = await director.patch(`/api/v1/children/${file.id}`, { name: '照片测试改', version: file.version, reason: 'x'.repeat(201) });
  assert.equal(r.json.error.code, 'reason_too_long');
  assert.equal((await director.get(`/api/v1/children/${file.id}`)).json.name, '照片测试');

  r = await director.patch(`/api/v1/children/${file.id}`, { name: '照片测试改', version: file.version, reason: '户口本姓名更正' });
  assert.equal(r.status, 200, r.text);
  // Sending the same name again is no identity change: no reason needed.
  r = await director.patch(`/api/v1/children/${file.id}`, { name: '照片测试改', notes: '随访', version: r.json.version });
  assert.equal(r.status, 200, r.text);
  // Family edits take an optional reason.
  r = await director.post(`/api/v1/children/${file.id}/family`, {
    member: { relation: 'mother', name: '照母', state: 'at_home' }, version: r.json.version, reason: '补录母亲信息',
  });
  assert.equal(r.status, 201, r.text);
  r = await director.request('PUT', `/api/v1/children/${file.id}/guardian`, {
    body: { guardian: { name: '照母', relation: 'mother' }, version: r.json.version },
  });
  assert.equal(r.status, 200, r.text);

  const hist = (await director.get(`/api/v1/children/${file.id}/history`)).json.items;
  const upd = hist.find((e) => e.action === 'child.update' && e.purpose === '户口本姓名更正');
  assert.ok(upd, JSON.stringify(hist.map((e) => [e.action, e.purpose])));
  assert.equal(upd.after.name, '照片测试改');
  assert.ok(hist.some((e) => e.action === 'child.family_add' && e.purpose === '补录母亲信息'));
  assert.ok(hist.some((e) => e.action === 'child.guardian_set' && e.purpose === ''));
});

test('staged import upload: token from preview, dry run and import by token, owner only, used up by the import', async () => {
  const director = await loginAs('director');
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const id = makeId(birth);
  const csv = `姓名,性别,出生日期,身份证号,社区\n暂存导入,男,${birth},${id},${me.org_unit.code}\n`;
  let r = await director.request('POST', '/api/v1/children/import/preview?file_name=' + encodeURIComponent('暂存.csv'), {
    body: csv, raw: true, headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(r.status, 200, r.text);
  const token = r.json.upload_token;
  assert.match(token, /^[A-Za-z0-9_-]{20,}$/);
  assert.ok(r.json.expires_at > Date.now() + 30 * 60 * 1000, 'kept for about an hour');
  assert.equal(r.json.rows, 1);

  // Preview again from the token (no body).
  r = await director.post(`/api/v1/children/import/preview?upload_token=${token}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.file_name, '暂存.csv');

  // Someone else's token reads as not found, as does a made-up one.
  const director2 = await loginAs('director2');
  r = await director2.post('/api/v1/children/import', { upload_token: token, dry_run: true });
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.error.code, 'upload_not_found');
  r = await director.post('/api/v1/children/import', { upload_token: 'nope', dry_run: true });
  assert.equal(r.status, 404);
  r = await director.post('/api/v1/children/import', { dry_run: true });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'upload_token');

  r = await director.post('/api/v1/children/import', { upload_token: token, dry_run: true, mapping: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.valid, 1);
  assert.equal(r.json.created, 0);
  r = await director.post('/api/v1/children/import', { upload_token: token });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.created, 1);
  const dup = await director.get(`/api/v1/children/duplicates?id_number=${id}`);
  assert.equal(dup.json.items.length, 1);
  const hist = (await director.get(`/api/v1/children/${dup.json.items[0].id}/history`)).json;
  assert.ok(hist.items.some((e) => e.action === 'child.create' && e.purpose === 'import: 暂存.csv'));
  // A committed upload is used up.
  r = await director.post('/api/v1/children/import', { upload_token: token });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'upload_not_found');
});
