// Child registry over real HTTP: create with family, derived categories, scoping (404 outside),
// masking, reveal with purpose (audited), stale versions, bad bodies, search, roll workflow, history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth } from './client.mjs';


async function newChild(director, extra = {}) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const id = makeId(birth, true);
  const body = {
    name: '欧阳明轩', sex: 'male', birth_date: birth, id_number: id, community_id: me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    family: [
      { relation: 'father', name: '欧阳建国', state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36,
        phone: '13912345678' },
      { relation: 'mother', name: '林秀梅', state: 'missing', state_since: '2024-02-01' },
    ],
    guardian: { name: '欧阳奶奶', relation: 'grandmother', phone: '13800001111' },
    ...extra,
  };
  const r = await director.post('/api/v1/children', body);
  assert.equal(r.status, 201, r.text);
  return { file: r.json, id, birth };
}

test('create derives categories with reasons, masks identifiers, scopes reads', async () => {
  const director = await loginAs('director');
  const { file, id } = await newChild(director);
  assert.equal(file.id_number_masked, id.slice(0, 4) + '**********' + id.slice(14));
  assert.ok(!JSON.stringify(file).includes(id), 'plain ID never in a response');
  assert.equal(file.family[0].phone_masked, '139****5678');
  const v = file.category_verdicts.find((x) => x.code === 'de_facto_unsupported');
  assert.equal(v.met, true);
  assert.equal(v.source, 'rule');
  assert.match(v.reason, /事实无人抚养儿童/);
  assert.ok(file.categories.includes('de_facto_unsupported'));

  const other = await loginAs('director2');
  assert.equal((await other.get(`/api/v1/children/${file.id}`)).status, 404);
  const sup = await loginAs('supervisor');
  assert.equal((await sup.get(`/api/v1/children/${file.id}`)).status, 200);
});

test('reveal needs a purpose and is audited; stale versions get 409; bad bodies name the field', async () => {
  const director = await loginAs('director');
  const { file, id } = await newChild(director);
  let r = await director.post(`/api/v1/children/${file.id}/reveal`, { field: 'id_number' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'purpose_required');
  r = await director.post(`/api/v1/children/${file.id}/reveal`, { field: 'id_number', purpose: '入户核实身份' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.value, id);
  const district = await loginAs('district');
  const audit = await district.get(`/api/v1/audit?action=child.reveal&object_type=child&object_id=${file.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.total, 1);
  assert.equal(audit.json.items[0].purpose, '入户核实身份');

  r = await director.patch(`/api/v1/children/${file.id}`, { school_name: '布吉小学', version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  r = await director.patch(`/api/v1/children/${file.id}`, { school_name: '另一所', version: 1 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'stale_version');

  r = await director.patch(`/api/v1/children/${file.id}`, { nickname: 'x', version: 2 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  assert.equal(r.json.error.field, 'nickname');
  r = await director.patch(`/api/v1/children/${file.id}`, { id_number: id.slice(0, 17) + (id[17] === '1' ? '2' : '1'), version: 2 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'id_number');
  r = await director.post('/api/v1/children', { name: '测试', birth_date: '2015-02-30', no_id_reason: '未落户', community_id: file.community.id });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'birth_date');

  const hist = await director.get(`/api/v1/children/${file.id}/history`);
  assert.equal(hist.status, 200);
  assert.deepEqual(hist.json.items.map((e) => e.action), ['child.update', 'child.create']);
  assert.equal(hist.json.items[0].after.school_name, '布吉小学');
});

test('search by name, pinyin initials and ID last digits within jurisdiction; duplicate warning', async () => {
  const director = await loginAs('director');
  const { file, id, birth } = await newChild(director);
  for (const q of ['欧阳明轩', 'oymx', 'ouyangmingxuan', id.slice(12)]) {
    const r = await director.get(`/api/v1/children?q=${encodeURIComponent(q)}&page_size=200`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.some((c) => c.id === file.id), `q=${q}`);
  }
  const other = await loginAs('director2');
  const r = await other.get(`/api/v1/children?q=${id.slice(12)}`);
  assert.equal(r.json.items.some((c) => c.id === file.id), false);
  const dup = await director.get(`/api/v1/children/duplicates?id_number=${id}`);
  assert.equal(dup.json.items[0].id, file.id);
  assert.equal(dup.json.items[0].match, 'id_number');
  const dup2 = await other.get(`/api/v1/children/duplicates?name=${encodeURIComponent('欧阳明轩')}&birth_date=${birth}`);
  assert.equal(dup2.json.items.length, 0);
  assert.ok(dup2.json.outside_jurisdiction >= 1);
  const again = await director.post('/api/v1/children', { name: '欧阳明轩', birth_date: birth, id_number: id, community_id: file.community.id });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'duplicate');
});

test('roll entry: director proposes, supervisor reviews, district confirms', async () => {
  const director = await loginAs('director');
  const { file } = await newChild(director);
  let r = await director.post(`/api/v1/children/${file.id}/roll-requests`,
    { kind: 'entry', category: 'de_facto_unsupported', reason: '父亲服刑、母亲失联', evidence: '判决书' });
  assert.equal(r.status, 201, r.text);
  const req = r.json;
  assert.equal(req.status, 'pending_review');
  const sup = await loginAs('supervisor');
  const queue = await sup.get('/api/v1/roll-requests?queue=review&page_size=200');
  assert.ok(queue.json.items.some((x) => x.id === req.id));
  assert.equal((await director.post(`/api/v1/roll-requests/${req.id}/review`, { note: '', version: 1 })).status, 403);
  r = await sup.post(`/api/v1/roll-requests/${req.id}/review`, { note: '材料齐全', version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'pending_confirm');
  const district = await loginAs('district');
  r = await district.post(`/api/v1/roll-requests/${req.id}/confirm`, { note: '同意', version: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'confirmed');
  const f = await district.get(`/api/v1/children/${file.id}`);
  assert.equal(f.json.roll.status, 'on_roll');
  assert.deepEqual(f.json.roll.categories, ['de_facto_unsupported']);
});

test('editing the guardian without retyping the phone keeps the stored phone; a new guardian does not inherit it', async () => {
  const director = await loginAs('director');
  const { file } = await newChild(director);
  assert.equal(file.guardian.phone_masked, '138****1111');
  let r = await director.request('PUT', `/api/v1/children/${file.id}/guardian`, {
    body: { guardian: { name: '欧阳奶奶', relation: 'grandmother', agreement_date: '2026-01-05' }, version: file.version },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.guardian.phone_masked, '138****1111');
  assert.equal(r.json.guardian.agreement_date, '2026-01-05');
  r = await director.request('PUT', `/api/v1/children/${file.id}/guardian`, {
    body: { guardian: { name: '欧阳姑姑', relation: 'other', relation_note: '姑姑' }, version: r.json.version },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.guardian.phone_masked, '');
  r = await director.request('PUT', `/api/v1/children/${file.id}/guardian`, {
    body: { guardian: { name: '欧阳姑姑', relation: 'other', relation_note: '姑姑', phone: '' }, version: r.json.version },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.guardian.phone_masked, '', 'an explicit empty phone clears it');
});
