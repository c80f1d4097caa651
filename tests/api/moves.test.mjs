// Moves over real HTTP (issue 9, item 2): a community moved to another street and a child moved to
// another community take every copy of their jurisdiction along (the child row, search postings,
// roll requests, screening tasks, photos): the old owners get 404 on every endpoint of the child and
// find nothing; the new owners open and find everything. The community is moved back at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, PNG, loginAs, makeId, randomBirth, uniq, waitBatch } from './client.mjs';

const PASSWORD = 'Moves-pass-2026';

async function newSupervisor(district, street) {
  const username = uniq('mvsup');
  const r = await district.post('/api/v1/users', { username, display_name: '坂田督导', role: 'street_supervisor', org_unit_id: street });
  assert.equal(r.status, 201, r.text);
  const c = new Client();
  assert.equal((await c.login(username, r.json.initial_password)).status, 200);
  assert.equal((await c.post('/api/v1/me/password', { old_password: r.json.initial_password, new_password: PASSWORD })).status, 204);
  return loginAs(username, PASSWORD);
}


// Every endpoint of the child a reader uses, and whether the child turns up in lists and search.
async function sees(client, k) {
  const out = {};
  for (const [name, p] of [['file', `/api/v1/children/${k.id}`], ['photo', `/api/v1/child-photos/${k.id}`],
    ['photo_info', `/api/v1/child-photos/${k.id}/info`], ['history', `/api/v1/children/${k.id}/history`],
    ['request', `/api/v1/roll-requests/${k.request}`], ['task', `/api/v1/screening/tasks/${k.task}`]]) {
    out[name] = (await client.get(p)).status;
  }
  const search = await client.get(`/api/v1/children?q=${encodeURIComponent(k.name)}`);
  out.search = search.json.items.some((c) => c.id === k.id);
  const requests = await client.get('/api/v1/roll-requests?page_size=200');
  out.requests = requests.json.items.some((r) => r.id === k.request);
  const tasks = await client.get('/api/v1/screening/tasks?page_size=200');
  out.tasks = tasks.status === 200 && tasks.json.items.some((t) => t.id === k.task);
  return out;
}

const ALL = { file: 200, photo: 200, photo_info: 200, history: 200, request: 200, task: 200, search: true, requests: true, tasks: true };
const NONE = { file: 404, photo: 404, photo_info: 404, history: 404, request: 404, task: 404, search: false, requests: false, tasks: false };

test('a community moved to another street, then a child moved to another community, take everything along', { timeout: 120000 }, async () => {
  const district = await loginAs('district');
  const director = await loginAs('director');
  const director2 = await loginAs('director2');
  const supervisor = await loginAs('supervisor');
  const community = (await director.get('/api/v1/me')).json.org_unit;
  const community2 = (await director2.get('/api/v1/me')).json.org_unit;
  const buji = (await district.get(`/api/v1/org-units/${community.id}`)).json.parent_id;
  const bantian = (await district.get(`/api/v1/org-units/${community2.id}`)).json.parent_id;
  const supervisor2 = await newSupervisor(district, bantian);

  // A child of the director's community with a photo, an entry request and a screening task.
  const birth = randomBirth();
  const idNumber = makeId(birth, true);
  const name = '欧阳' + uniq('').replace(/[0-9a-z]/g, (ch) => '鸑鷟鹓鶵魑魅魍魉饕餮貔貅麒麟犇骉'[parseInt(ch, 36) % 16]).slice(0, 2);
  let r = await director.post('/api/v1/children', {
    name, sex: 'male', birth_date: birth, id_number: idNumber, community_id: community.id, health: 'healthy',
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    family: [{ relation: 'father', name: '欧阳建国', state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36 },
             { relation: 'mother', name: '林秀梅', state: 'missing', state_since: '2024-02-01' }],
  });
  assert.equal(r.status, 201, r.text);
  const k = { id: r.json.id, name };
  r = await director.request('PUT', `/api/v1/child-photos/${k.id}?version=${r.json.version}`, { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } });
  assert.equal(r.status, 200, r.text);
  r = await director.post(`/api/v1/children/${k.id}/roll-requests`, { kind: 'entry', category: 'de_facto_unsupported', reason: '父亲服刑、母亲失联' });
  assert.equal(r.status, 201, r.text);
  k.request = r.json.id ?? r.json.request?.id;
  r = await district.post('/api/v1/screening/sources', { name: uniq('残联'), dept_type: 'disability',
    mapping: { name: '人员姓名', id_number: '证件号码', birth_date: '出生日期', community: '所在社区', disability_grade: '残疾等级', disability_type: '残疾类别' } });
  assert.equal(r.status, 201, r.text);
  const csv = `人员姓名,证件号码,出生日期,所在社区,残疾等级,残疾类别\r\n${name},${idNumber},${birth},${community.code},一级,肢体残疾\r\n`;
  r = await district.request('POST', `/api/v1/screening/batches?source_id=${r.json.id}&file_name=${uniq('mv')}.csv`, { body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.ok([201, 202].includes(r.status), r.text);
  const batch = await waitBatch(district, r.json.id);
  assert.equal(batch.status, 'done');
  const tasks = (await district.get('/api/v1/screening/tasks?page_size=200')).json.items;
  k.task = tasks.find((t) => t.finding.batch_id === batch.id)?.id;
  assert.ok(k.task, 'a verification task for the child');

  assert.deepEqual(await sees(director, k), ALL);
  assert.deepEqual(await sees(supervisor, k), ALL);
  assert.deepEqual(await sees(supervisor2, k), NONE);

  // The community moves to 坂田街道.
  const unit = (await district.get(`/api/v1/org-units/${community.id}`)).json;
  r = await district.post(`/api/v1/org-units/${community.id}/move`, { parent_id: bantian, version: unit.version });
  assert.equal(r.status, 200, r.text);
  try {
    assert.deepEqual(await sees(supervisor, k), NONE, 'the old street');
    assert.deepEqual(await sees(supervisor2, k), ALL, 'the new street');
    assert.deepEqual(await sees(director, k), ALL, "the community's own director");
    const file = (await district.get(`/api/v1/children/${k.id}`)).json;
    assert.equal(file.street?.id ?? file.street_id, bantian);

    // The child moves to director2's community (also in 坂田 now).
    r = await district.patch(`/api/v1/children/${k.id}`, { community_id: community2.id, version: file.version });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await sees(director, k), NONE, 'the old community');
    assert.deepEqual(await sees(director2, k), ALL, 'the new community');
    assert.deepEqual(await sees(supervisor2, k), ALL, 'the street of both');
  } finally {
    const now = (await district.get(`/api/v1/org-units/${community.id}`)).json;
    r = await district.post(`/api/v1/org-units/${community.id}/move`, { parent_id: buji, version: now.version });
    assert.equal(r.status, 200, r.text);
  }
  assert.deepEqual(await sees(supervisor, k), NONE, 'the child stayed in 坂田 with its new community');
});
