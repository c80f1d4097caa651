// Input hygiene (issue 9 items 6, 7, 8) over real HTTP: every hostile input the security review
// got accepted is answered 400 (or 415/413/429) naming the field, and nothing is stored; uploads
// are capped with messages in zh-CN; exports defuse formula-looking cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, loginAs, makeId, randomBirth, uniq, unitByName } from './client.mjs';
import { wideSparseXlsx } from './xlsx_fixture.mjs';

const NUL = '\u0000';

async function me(client) {
  return (await client.get('/api/v1/me')).json;
}

function childBody(communityId, extra = {}) {
  const birth = randomBirth();
  return {
    name: `卫${uniq('h')}`, sex: 'male', birth_date: birth, id_number: makeId(birth, true), community_id: communityId,
    flow_status: 'local',
    family: [{ relation: 'father', name: '卫父', state: 'working_away', state_since: '2024-01-01' }],
    guardian: { name: '卫奶奶', relation: 'grandmother', phone: '13800001111' },
    ...extra,
  };
}

async function childCount(client, name) {
  const r = await client.get(`/api/v1/children?q=${encodeURIComponent(name)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((c) => c.name === name).length;
}

function expectBad(r, field, statuses = [400]) {
  assert.ok(statuses.includes(r.status), `status ${r.status}: ${r.text.slice(0, 300)}`);
  assert.equal(r.json?.error?.field, field, r.text.slice(0, 300));
}

test('POST /children: huge relation_note with NUL, huge region code with markup, 1800 birth date → 400, nothing stored', async () => {
  const director = await loginAs('director');
  const cid = (await me(director)).org_unit.id;

  const cases = [
    [{ guardian: { name: '卫奶奶', relation: 'other', relation_note: 'x'.repeat(500 * 1024) + NUL } }, 'guardian.relation_note'],
    [{ guardian: { name: '卫奶奶', relation: 'other', relation_note: `姑${NUL}姑` } }, 'guardian.relation_note'],
    [{ family: [{ relation: 'father', name: '卫父', state: 'working_away', work_region_code: '<b>' + '4'.repeat(300 * 1024) + '</b>' }] },
      'family[0].work_region_code'],
    [{ family: [{ relation: 'father', name: '卫父', state: 'working_away', work_region_code: '<script>1</script>' }] },
      'family[0].work_region_code'],
    [{ birth_date: '1800-01-01' }, 'birth_date'],
    [{ birth_date: '2999-01-01' }, 'birth_date'],
    [{ family: [{ relation: 'father', name: '卫父', state: 'imprisoned', state_since: '1850-01-01' }] }, 'family[0].state_since'],
    [{ notes: `备注${NUL}` }, 'notes'],
    [{ hukou_address: '第一行\n第二行' }, 'hukou_address'],
    [{ residence_address: 'a\u202Eb' }, 'residence_address'],
    [{ hukou_region_code: '4403' }, 'hukou_region_code'],
  ];
  for (const [extra, field] of cases) {
    const body = childBody(cid, extra);
    const r = await director.post('/api/v1/children', body);
    expectBad(r, field);
    assert.equal(await childCount(director, body.name), 0, `${field}: nothing stored`);
  }
  // Long text keeps newlines and tabs; a 9-digit township code is a region code.
  const ok = childBody(cid, { notes: '第一行\n\t第二行', family: [{ relation: 'father', name: '卫父', state: 'working_away',
    work_region_code: '440307001' }] });
  const r = await director.post('/api/v1/children', ok);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.notes, '第一行\n\t第二行');
});

test('guardian and family endpoints use the same validator', async () => {
  const director = await loginAs('director');
  const cid = (await me(director)).org_unit.id;
  const made = await director.post('/api/v1/children', childBody(cid));
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  let r = await director.request('PUT', `/api/v1/children/${id}/guardian`, {
    body: { guardian: { name: `王${NUL}`, relation: 'other' }, version: made.json.version } });
  expectBad(r, 'guardian.name');
  r = await director.post(`/api/v1/children/${id}/family`, {
    member: { relation: 'mother', name: '卫母', work_region_code: '12345' }, version: made.json.version });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.field, /work_region_code$/);
  r = await director.post(`/api/v1/children/${id}/family`, {
    member: { relation: 'mother', name: `卫${NUL}母` }, version: made.json.version });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.field, /name$/);
  r = await director.patch(`/api/v1/children/${id}`, { name: '卫新名', reason: `改名${NUL}`, version: made.json.version });
  expectBad(r, 'reason');
  const after = await director.get(`/api/v1/children/${id}`);
  assert.equal(after.json.version, made.json.version, 'nothing changed');
  const district = await loginAs('district');
  r = await district.post(`/api/v1/children/${id}/reveal`, { field: 'id_number', purpose: `核查${NUL}` });
  expectBad(r, 'purpose');
});

test('JSON only as application/json: 415 unsupported_media_type, nothing stored', async () => {
  const director = await loginAs('director');
  const cid = (await me(director)).org_unit.id;
  for (const type of ['text/plain; charset=json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json',
    'application/json; charset=gbk']) {
    const body = childBody(cid);
    const r = await director.request('POST', '/api/v1/children', { body: JSON.stringify(body), raw: true, headers: { 'Content-Type': type } });
    assert.equal(r.status, 415, `${type}: ${r.text}`);
    assert.equal(r.json.error.code, 'unsupported_media_type');
    assert.equal(await childCount(director, body.name), 0);
  }
  const body = childBody(cid);
  const r = await director.request('POST', '/api/v1/children', { body: JSON.stringify(body), raw: true,
    headers: { 'Content-Type': 'Application/JSON; charset=UTF-8' } });
  assert.equal(r.status, 201, r.text);
});

test('users, agencies, org units and screening sources refuse NUL and control characters', async () => {
  const admin = await loginAs('admin');
  const community = await unitByName(admin, '布吉社区').catch(async () => (await admin.get('/api/v1/org-units?level=community')).json.items[0]);
  const username = uniq('hyg');
  let r = await admin.post('/api/v1/users', { username, display_name: `张${NUL}三`, role: 'child_director', org_unit_id: community.id });
  expectBad(r, 'display_name');
  r = await admin.get(`/api/v1/users?q=${username}`);
  assert.equal(r.json.items.length, 0, 'no user stored');
  r = await admin.post('/api/v1/users', { username, display_name: 'x'.repeat(51), role: 'child_director', org_unit_id: community.id });
  expectBad(r, 'display_name');

  const agency = `机构${uniq('a')}`;
  r = await admin.post('/api/v1/agencies', { org_unit_id: community.id, kind: 'station', name: `${agency}${NUL}` });
  expectBad(r, 'name');
  r = await admin.post('/api/v1/agencies', { org_unit_id: community.id, kind: 'station', name: agency, contact: `李${NUL}` });
  expectBad(r, 'contact');
  r = await admin.get(`/api/v1/agencies?q=${encodeURIComponent(agency)}`);
  assert.ok(!JSON.stringify(r.json).includes(agency), 'no agency stored');

  r = await admin.post('/api/v1/org-units', { parent_id: community.parent_id, code: '440307001099', name: `新社区\u0007`, level: 'community' });
  expectBad(r, 'name');

  const district = await loginAs('district');
  r = await district.post('/api/v1/screening/sources', { name: `残联${NUL}`, dept_type: 'disability' });
  expectBad(r, 'name');
});

// ---- uploads ----

function upload(client, path, body, contentType) {
  return client.request('POST', path, { body, raw: true, headers: { 'Content-Type': contentType } });
}

test('uploads: too many columns (XLSX A1+XFD1, CSV 1,000,000 columns) → 413 with a zh-CN message, no huge answer', async () => {
  const director = await loginAs('director');
  const xlsx = wideSparseXlsx(1200);
  assert.ok(xlsx.length < 20000, `the hostile file is small (${xlsx.length} bytes)`);
  let r = await upload(director, '/api/v1/children/import/preview', xlsx,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(r.json.error.code, 'xlsx_too_many_columns');
  assert.match(r.json.error.message, /列数过多.*256列/);

  const csv = Array.from({ length: 1000000 }, () => 'x').join(',') + '\n1\n';
  r = await upload(director, '/api/v1/children/import/preview', csv, 'text/csv');
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(r.json.error.code, 'csv_too_many_columns');
  assert.ok(r.text.length < 2000, 'the answer is an error, not a 50 MB preview');

  const district = await loginAs('district');
  const src = await district.post('/api/v1/screening/sources', { name: `学籍${uniq('s')}`, dept_type: 'education' });
  assert.equal(src.status, 201, src.text);
  r = await upload(district, `/api/v1/screening/batches?source_id=${src.json.id}`, csv, 'text/csv');
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(r.json.error.code, 'csv_too_many_columns');
});

test('import: a cell with a NUL rejects its row by line and column; nothing is written', async () => {
  const director = await loginAs('director');
  const m = await me(director);
  const birth = randomBirth();
  const name = `卫${uniq('i')}`;
  const csv = '姓名,性别,出生日期,身份证号,户籍地址,社区\n' +
    `${name},男,${birth},${makeId(birth)},四川${NUL}南充,${m.org_unit.code}\n`;
  const r = await upload(director, '/api/v1/children/import', csv, 'text/csv');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'import_rejected');
  assert.equal(r.json.committed, false);
  const rej = r.json.rejected[0];
  assert.equal(rej.line, 2);
  assert.equal(rej.column, '户籍地址');
  assert.equal(rej.code, 'invalid_text');
  assert.equal(await childCount(director, name), 0);
});

test('exports neutralise every formula-looking cell (CSV and XLSX)', async () => {
  const director = await loginAs('director');
  const cid = (await me(director)).org_unit.id;
  const payload = "-2+3+cmd|' /C calc'!A0";
  const made = await director.post('/api/v1/children', childBody(cid, { name: payload, notes: '=HYPERLINK("http://x")' }));
  assert.equal(made.status, 201, made.text);
  const res = await fetch(`${BASE}/api/v1/children/export?format=csv`, { headers: { Cookie: director.cookie } });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(text.includes(`'${payload}`), text.slice(0, 500));
  for (const line of text.replace(/^\uFEFF/, '').split('\r\n')) {
    for (const cell of line.split(',')) assert.ok(!/^[=+\-@\t\r]/.test(cell), `live cell: ${cell}`);
  }
});
