// Guardianship interventions (监护干预, 未保法 Art 92-95, issue 12) over real HTTP: the 布吉 social worker proposes a
// temporary guardianship on Art 92 grounds, the district approves, the child is placed with relatives (the
// guardianship_limit item is due a year later, the placement check a month later), a placement check is recorded,
// the return home is refused without a passing 家庭监护能力评估 completed since the placement, then allowed; a
// long-term guardianship sets 兜底监护儿童 on the child until adoption; visibility (儿童主任, leader: 403; another
// street: 404); every read audited; unknown fields and stale versions rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth, uniq } from './client.mjs';

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}
const GOOD = { gd_health: 'good', gd_will: 'willing', gd_care: 'good', gd_income: false, gd_housing: false };
const POOR = { gd_health: 'weak', gd_will: 'refuses', gd_care: 'poor', gd_income: true, gd_housing: true };
const DAY = 24 * 3600 * 1000;

let director, social, district, leader, worker2, grid, child, child2;
async function newChild(who, name) {
  const me = (await who.get('/api/v1/me')).json;
  const birth = randomBirth();
  return ok(await who.post('/api/v1/children', { name: uniq(name), sex: 'female', birth_date: birth,
    id_number: makeId(birth, false), community_id: me.org_unit.id }), 201);
}
async function assess(childId, answers) {
  const d = await ok(await social.post('/api/v1/assessments', { child_id: childId, form: 'guardianship', answers }), 201);
  return ok(await social.post(`/api/v1/assessments/${d.id}/complete`, { version: d.version }));
}

test('log in and file two children', async () => {
  [director, social, district, leader, grid] = await Promise.all(['director', 'social', 'district', 'leader', 'grid'].map((u) => loginAs(u)));
  worker2 = await loginAs('director2');
  child = await newChild(director, '监护童');
  child2 = await newChild(director, '长监童');
});

let g;
test('a proposal needs Art 92 grounds and the district approval; one open intervention per child', async () => {
  const cfg = await ok(await social.get('/api/v1/guardianship/config'));
  assert.equal(cfg.limit_days, 365);
  assert.deepEqual(cfg.placement_kinds.map((k) => k.code), ['relatives', 'foster_family', 'rescue_institution', 'welfare_institution']);
  assert.equal(cfg.grounds.temporary.length, 7);
  let r = await social.post('/api/v1/guardianship', { child_id: child.id, kind: 'temporary', grounds: ['a94_1'], reason: '无人照料' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'grounds');
  r = await social.post('/api/v1/guardianship', { child_id: child.id, kind: 'temporary', grounds: ['a92_4'], reason: '无人照料', extra: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  assert.equal((await director.post('/api/v1/guardianship', { child_id: child.id, kind: 'temporary', grounds: ['a92_4'], reason: 'x' })).status, 403);
  g = await ok(await social.post('/api/v1/guardianship', { child_id: child.id, kind: 'temporary', grounds: ['a92_3', 'a92_4'],
    reason: '母亲被羁押，父亲拒绝返回照料' }), 201);
  assert.equal(g.status, 'proposed');
  assert.deepEqual(g.grounds.map((x) => x.code), ['a92_3', 'a92_4']);
  assert.deepEqual(g.actions, []);  // the worker cannot approve
  r = await social.post('/api/v1/guardianship', { child_id: child.id, kind: 'temporary', grounds: ['a92_4'], reason: '再次' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'guardianship_open');
  const inbox = (await district.get('/api/v1/inbox?kind=guardianship_approve&page_size=200')).json.items;
  assert.ok(inbox.some((i) => i.subject.id === g.id), 'the district has the approval to do');
  assert.equal((await social.post(`/api/v1/guardianship/${g.id}/decide`, { action: 'approve', version: g.version })).status, 403);
  r = await district.post(`/api/v1/guardianship/${g.id}/decide`, { action: 'approve', version: g.version + 5 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'stale_version');
  g = await ok(await district.post(`/api/v1/guardianship/${g.id}/decide`, { action: 'approve', note: '同意，亲属抚养', version: g.version }));
  assert.equal(g.status, 'approved');
  assert.deepEqual(g.actions, ['place', 'convert'].filter((a) => a === 'place'));
});

test('the placement opens the placement check and the time limit on the engine', async () => {
  let r = await social.post(`/api/v1/guardianship/${g.id}/place`, { placement_kind: 'uncle', placement_name: '姑姑家',
    placement_contact: '何丽华', placement_phone: '13923456781', placement_address: '百鸽路 120 号', version: g.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'placement_kind');
  g = await ok(await social.post(`/api/v1/guardianship/${g.id}/place`, { placement_kind: 'relatives', placement_name: '姑姑何丽华家',
    placement_contact: '何丽华', placement_phone: '13923456781', placement_address: '布吉街道百鸽路 120 号', version: g.version }));
  assert.equal(g.status, 'placed');
  assert.equal(g.placement.kind.name, '亲属抚养');
  assert.equal(g.placement.limit_at - g.placement.placed_at, 365 * DAY);
  const item = async (kind) => (await social.get(`/api/v1/inbox?kind=${kind}&page_size=200`)).json.items
    .find((i) => i.subject.type === 'guardianship' && i.subject.id === g.id);
  const check = await item('placement_check'), limit = await item('guardianship_limit');
  assert.ok(check && limit, 'both items are in the social worker\'s inbox');
  assert.ok(Math.abs(Date.parse(check.due_at) - (g.placement.placed_at + 30 * DAY)) < 1000, check.due_at);
  assert.ok(Math.abs(Date.parse(limit.due_at) - g.placement.limit_at) < 1000, limit.due_at);
});

test('the placement phone is masked in the list, the detail and the timeline; the registry reveal shows it, audited', async () => {
  const PHONE = '13923456781';
  assert.equal(g.placement.phone_masked, '139****6781');
  assert.equal(g.placement.phone, undefined);
  const list = await ok(await social.get(`/api/v1/guardianship?child_id=${child.id}`));
  const detail = await ok(await social.get(`/api/v1/guardianship/${g.id}`));
  for (const [what, body] of [['list', list], ['detail', detail], ['timeline', detail.events]]) {
    assert.ok(!JSON.stringify(body).includes(PHONE), `${what} carries no plain phone`);
  }
  assert.equal(list.items[0].placement.phone_masked, '139****6781');
  const reveal = (who, body) => who.post(`/api/v1/children/${child.id}/reveal`, { target: 'placement', ref_id: g.id, field: 'phone', ...body });
  let r = await reveal(social, {});
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'purpose_required');
  assert.equal((await reveal(director, { purpose: '联系安置家庭' })).status, 403);  // 儿童主任: no guardianship
  r = await reveal(social, { ref_id: g.id + 100000, purpose: '联系安置家庭' });
  assert.equal(r.status, 404);
  r = await ok(await reveal(social, { purpose: '联系安置家庭安排回访' }));
  assert.equal(r.value, PHONE);
  const audit = (await ok(await district.get(`/api/v1/audit?action=child.reveal&object_type=child&object_id=${child.id}&page_size=20`))).items;
  assert.ok(audit.some((a) => JSON.stringify(a).includes(`placement.${g.id}.phone`) && JSON.stringify(a).includes('联系安置家庭安排回访')),
    JSON.stringify(audit));
});

test('completing a guardianship check when none is open is 409 invalid_state and records nothing', async () => {
  const audits = async () => (await ok(await district.get(`/api/v1/audit?action=guardianship.check_done&object_type=child&object_id=${child.id}&page_size=20`))).total;
  const before = await audits();
  const r = await social.post(`/api/v1/guardianship/children/${child.id}/check-done`, { note: '入户核查，监护正常' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'invalid_state');
  assert.equal(await audits(), before);
});

test('a placement check is recorded and the next one falls due', async () => {
  const r = await social.post(`/api/v1/guardianship/${g.id}/checks`, { child_state: 'sad', version: g.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'child_state');
  g = await ok(await social.post(`/api/v1/guardianship/${g.id}/checks`, { child_state: 'good', notes: '情绪稳定，按时上学', version: g.version }));
  assert.equal(g.checks.length, 1);
  assert.equal(g.checks[0].child_state.name, '良好');
  assert.equal(g.checks[0].checker, '周敏');
});

test('the return home needs a passing guardianship assessment completed since the placement', async () => {
  let r = await social.post(`/api/v1/guardianship/${g.id}/return`, { version: g.version });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'return_assessment_required');
  assert.match(r.json.error.message, /评估/);
  const poor = await assess(child.id, POOR);
  g = await ok(await social.post(`/api/v1/guardianship/${g.id}/return-assessment`, { assessment_id: poor.id, version: g.version }));
  assert.equal(g.return_assessment.passes, false);
  r = await social.post(`/api/v1/guardianship/${g.id}/return`, { version: g.version }, { headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'return_assessment_failed');
  assert.match(r.json.error.message, /did not pass/);
  assert.equal(r.json.error.field, 'return_assessment_id');
  const other = await assess(child2.id, GOOD);
  r = await social.post(`/api/v1/guardianship/${g.id}/return-assessment`, { assessment_id: other.id, version: g.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_assessment');
  const good = await assess(child.id, GOOD);
  g = await ok(await social.post(`/api/v1/guardianship/${g.id}/return-assessment`, { assessment_id: good.id, version: g.version }));
  assert.equal(g.return_assessment.passes, true);
  g = await ok(await social.post(`/api/v1/guardianship/${g.id}/return`, { note: '父亲返家，评估较好', version: g.version }));
  assert.equal(g.status, 'returned');
  assert.deepEqual(g.events.map((e) => e.action), ['propose', 'approve', 'place', 'check', 'return_assessment', 'return_assessment', 'return']);
  for (const kind of ['placement_check', 'guardianship_limit']) {
    const open = (await social.get(`/api/v1/inbox?kind=${kind}&page_size=200`)).json.items.filter((i) => i.subject.type === 'guardianship' && i.subject.id === g.id);
    assert.deepEqual(open, [], `${kind} closed`);
  }
});

test('long-term guardianship makes the child 兜底监护儿童 until adoption', async () => {
  let lt = await ok(await social.post('/api/v1/guardianship', { child_id: child2.id, kind: 'long_term', grounds: ['a94_2'],
    reason: '父母均已死亡，无其他监护人' }), 201);
  lt = await ok(await district.post(`/api/v1/guardianship/${lt.id}/decide`, { action: 'approve', version: lt.version }));
  assert.equal(lt.status, 'active');
  let file = await ok(await district.get(`/api/v1/children/${child2.id}`));
  assert.ok(JSON.stringify(file).includes('fallback_guardianship'), 'category set');
  assert.equal((await district.post(`/api/v1/guardianship/${lt.id}/end`, { end_kind: 'adopted', version: lt.version })).json.error.field, 'note');
  lt = await ok(await district.post(`/api/v1/guardianship/${lt.id}/end`, { end_kind: 'adopted', note: '依法被收养', version: lt.version }));
  assert.equal(lt.status, 'adopted');
  file = await ok(await district.get(`/api/v1/children/${child2.id}`));
  const cats = (file.child ?? file).categories ?? [];
  assert.ok(!JSON.stringify(cats).includes('fallback_guardianship'), JSON.stringify(cats));
});

test('visible only to its roles in scope; every read is audited', async () => {
  assert.equal((await director.get(`/api/v1/guardianship/${g.id}`)).status, 403);
  assert.equal((await leader.get(`/api/v1/guardianship/${g.id}`)).status, 403);
  assert.equal((await grid.get('/api/v1/guardianship')).status, 403);
  assert.equal((await worker2.get(`/api/v1/guardianship/${g.id}`)).status, 403);  // 儿童主任 of 坂田
  const sup = await loginAs('supervisor');
  await ok(await sup.get(`/api/v1/guardianship/${g.id}`));
  const list = await ok(await social.get(`/api/v1/guardianship?child_id=${child.id}`));
  assert.equal(list.total, 1);
  const audit = (await ok(await district.get(`/api/v1/audit?action=guardianship.read&object_type=guardianship&object_id=${g.id}&page_size=50`))).items;
  assert.ok(audit.length >= 1, 'reads recorded');
  const lists = (await ok(await district.get('/api/v1/audit?action=guardianship.list&page_size=5'))).items;
  assert.ok(lists.length >= 1, 'lists recorded');
});
