// Guardianship interventions (监护干预, 未保法 Art 92-95, issue 12) over real HTTP: the 布吉 social worker proposes a
// temporary guardianship on Art 92 grounds, the district approves, the child is placed with relatives (the
// guardianship_limit item is due a year later, the placement check a month later), a placement check is recorded,
// the return home is refused without a passing 家庭监护能力评估 completed since the placement, then allowed; a
// long-term guardianship sets 兜底监护儿童 on the child until adoption; visibility (儿童主任, leader: 403; another
// street: 404); every read audited; unknown fields and stale versions rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs, makeId, randomBirth, uniq } from './client.mjs';

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
  assert.deepEqual(g.actions, ['place', 'end']);  // the district: place, or end it unplaced
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

// An outsider's and a new user's input at every guardianship endpoint: unknown fields, wrong types and enums, text
// over its limit, a phone the page cannot dial, stale versions (409) and an oversized body (413). Each refused call
// leaves the intervention as it was (same version, same timeline).
test('bad input at every endpoint is refused with the field named, and changes nothing', async () => {
  const kid = await newChild(director, '坏输入');
  const long = (n) => '长'.repeat(n);
  const failures = [];
  const bad = async (who, p, body, status, code, field) => {
    const r = await who.post(p, body);
    const e = r.json?.error ?? {};
    if (r.status !== status || (code && e.code !== code) || (field !== undefined && e.field !== field) || !e.message) {
      failures.push(`${p} ${JSON.stringify(body).slice(0, 90)}: ${r.status} ${r.text.slice(0, 160)}; want ${status} ${code ?? ''} ${field ?? ''}`);
    }
  };
  const G = '/api/v1/guardianship';
  const base = { child_id: kid.id, kind: 'temporary', grounds: ['a92_4'], reason: '父母均失联，孩子无人照料' };
  await bad(social, G, { ...base, kind: 'forever' }, 400, 'invalid_enum', 'kind');
  await bad(social, G, { ...base, kind: undefined }, 400, 'required', 'kind');
  await bad(social, G, { ...base, grounds: 'a92_4' }, 400, 'invalid_list', 'grounds');
  await bad(social, G, { ...base, grounds: [4] }, 400, 'invalid_list', 'grounds');
  await bad(social, G, { ...base, grounds: Array(21).fill('a92_4') }, 400, 'invalid_list', 'grounds');
  await bad(social, G, { ...base, grounds: ['a92_4', 'a92_4'] }, 400, 'invalid_enum', 'grounds');
  await bad(social, G, { ...base, grounds: [] }, 400, 'required', 'grounds');
  await bad(social, G, { ...base, reason: long(2001) }, 400, 'too_long', 'reason');
  await bad(social, G, { ...base, reason: ' ' }, 400, undefined, 'reason');
  await bad(social, G, { ...base, child_id: 'abc' }, 400, 'invalid_type', 'child_id');
  await bad(social, G, { ...base, child_id: 987654321 }, 404);
  await bad(social, G, { ...base, status: 'placed' }, 400, 'unknown_field', 'status');
  let g = await ok(await social.post(G, base), 201);
  const unchanged = async (what) => {
    const now = await ok(await social.get(`${G}/${g.id}`));
    if (now.version !== g.version || now.events.length !== g.events.length) failures.push(`${what} changed the intervention`);
  };
  const step = (verb) => `${G}/${g.id}/${verb}`;
  await bad(district, step('decide'), { action: 'approve', version: g.version, extra: 1 }, 400, 'unknown_field', 'extra');
  await bad(district, step('decide'), { action: 'maybe', version: g.version }, 400, 'invalid_enum', 'action');
  await bad(district, step('decide'), { action: 'approve', version: String(g.version) }, 400, 'invalid_type', 'version');
  await bad(district, step('decide'), { action: 'approve' }, 400, 'required', 'version');
  await bad(district, step('decide'), { action: 'reject', version: g.version }, 400, 'required', 'note');
  await bad(district, step('decide'), { action: 'approve', note: long(2001), version: g.version }, 400, 'too_long', 'note');
  await bad(district, step('decide'), { action: 'approve', version: g.version - 1 }, 409, 'stale_version');
  const place = { placement_kind: 'relatives', placement_name: '姑姑家', placement_contact: '何丽华', placement_phone: '0755-2345 6781',
                  placement_address: '布吉街道百鸽路 120 号', version: g.version };
  await bad(social, step('place'), place, 409, 'invalid_state');  // not approved yet
  await unchanged('the refused decisions');
  g = await ok(await district.post(step('decide'), { action: 'approve', version: g.version }));
  place.version = g.version;
  await bad(social, step('place'), { ...place, placement_kind: 'uncle' }, 400, 'invalid_enum', 'placement_kind');
  await bad(social, step('place'), { ...place, placement_name: long(201) }, 400, 'too_long', 'placement_name');
  await bad(social, step('place'), { ...place, placement_contact: long(51) }, 400, 'too_long', 'placement_contact');
  await bad(social, step('place'), { ...place, placement_contact: '何\n丽华' }, 400, 'invalid_text', 'placement_contact');
  await bad(social, step('place'), { ...place, placement_address: long(201) }, 400, 'too_long', 'placement_address');
  for (const phone of ['abc', '-------', '+++++++', '139+2345678', '1'.repeat(16)]) {
    await bad(social, step('place'), { ...place, placement_phone: phone }, 400, 'invalid_phone', 'placement_phone');
  }
  await bad(social, step('place'), { ...place, placed_at: 'yesterday' }, 400, 'invalid_type', 'placed_at');
  await bad(social, step('place'), { ...place, placed_at: Date.now() + 30 * DAY }, 400, 'invalid_date', 'placed_at');
  await bad(social, step('place'), { ...place, version: g.version + 1 }, 409, 'stale_version');
  await bad(director, step('place'), { ...place, placement_kind: 'uncle' }, 403);  // no permission: 403 before the body
  // A body over the server's 1 MiB limit: 413, nothing stored.
  const huge = await social.post(step('place'), { ...place, placement_address: 'x'.repeat(1100000) });
  if (huge.status !== 413) failures.push(`oversized body: ${huge.status}`);
  await unchanged('the refused placements');
  g = await ok(await social.post(step('place'), place));
  assert.equal(g.placement.phone_masked.includes('*'), true);
  await bad(social, step('checks'), { child_state: 'sad', version: g.version }, 400, 'invalid_enum', 'child_state');
  await bad(social, step('checks'), { child_state: 'good', notes: long(2001), version: g.version }, 400, 'too_long', 'notes');
  await bad(social, step('checks'), { child_state: 'good', checked_at: Date.now() - 30 * DAY, version: g.version }, 400, 'before_placement', 'checked_at');
  await bad(social, step('checks'), { child_state: 'good', checked_at: 1e15, version: g.version }, 400, 'invalid_date', 'checked_at');
  await bad(social, step('return-assessment'), { assessment_id: 'x', version: g.version }, 400, 'invalid_type', 'assessment_id');
  await bad(social, step('return-assessment'), { assessment_id: 987654321, version: g.version }, 400, 'invalid_assessment', 'assessment_id');
  await bad(social, step('return'), { note: long(2001), version: g.version }, 400, 'too_long', 'note');
  await bad(social, step('return'), { version: g.version }, 409, 'return_assessment_required', 'return_assessment_id');
  await bad(district, step('convert'), { grounds: ['a92_4'], note: '转长期', version: g.version }, 400, 'invalid_enum', 'grounds');
  await bad(district, step('convert'), { grounds: ['a94_2'], version: g.version }, 400, 'required', 'note');
  await bad(district, step('end'), { end_kind: 'divorce', note: '结束', version: g.version }, 400, 'invalid_enum', 'end_kind');
  await bad(district, step('end'), { end_kind: 'ended', note: '结束', version: g.version }, 409, 'invalid_state');  // placed
  await bad(social, `${G}/children/${kid.id}/check-done`, { note: long(2001) }, 400, 'too_long', 'note');
  await bad(social, `${G}/children/${kid.id}/check-done`, { note: '核查', extra: true }, 400, 'unknown_field', 'extra');
  await unchanged('the refused steps');
  // Ids and list parameters.
  for (const [p, status, field] of [[`${G}/abc`, 400, 'id'], [`${G}/987654321`, 404], [`${G}?status=bogus`, 400, 'status'],
    [`${G}?kind=bogus`, 400, 'kind'], [`${G}?child_id=abc`, 400, 'child_id'], [`${G}?unit_id=abc`, 400, 'unit_id'],
    [`${G}?page_size=0`, 400, 'page_size'], [`${G}?q=${encodeURIComponent(long(51))}`, 400, 'q']]) {
    const r = await social.get(p);
    if (r.status !== status || (field && r.json?.error?.field !== field)) failures.push(`GET ${p}: ${r.status} ${r.text.slice(0, 120)}`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

// An approved temporary guardianship that was never placed (the family took the child back) is ended by the district,
// with a note, not dated before its approval; the child may then have a new intervention.
test('an approved guardianship that was never placed can be ended, and no longer blocks a new one', async () => {
  const kid = await newChild(director, '未安置');
  let g = await ok(await social.post('/api/v1/guardianship', { child_id: kid.id, kind: 'temporary', grounds: ['a92_4'], reason: '父母失联' }), 201);
  g = await ok(await district.post(`/api/v1/guardianship/${g.id}/decide`, { action: 'approve', version: g.version }));
  assert.ok(g.actions.includes('end'), JSON.stringify(g.actions));
  let r = await district.post(`/api/v1/guardianship/${g.id}/end`, { end_kind: 'adopted', note: '未安置', version: g.version });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_state');
  r = await district.post(`/api/v1/guardianship/${g.id}/end`, { end_kind: 'ended', ended_at: Date.now() - 5 * DAY, note: '未安置', version: g.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'before_start');
  g = await ok(await district.post(`/api/v1/guardianship/${g.id}/end`, { end_kind: 'ended', note: '亲属已接回照料，无需安置', version: g.version }));
  assert.equal(g.status, 'ended');
  await ok(await social.post('/api/v1/guardianship', { child_id: kid.id, kind: 'temporary', grounds: ['a92_4'], reason: '再次失去照料' }), 201);
});

// A grid moved to a community of another street (POST /org-units/{grid}/move): the interventions of its children
// follow in the move's transaction. The old street's social worker gets 404 on the detail and on the placement
// phone's reveal and no longer finds it in the list or the 待办; the new street's worker sees it, may reveal the phone
// and has its placement check and time limit. The grid is moved back at the end.
test('a grid moved to another street takes its children\'s interventions along', async () => {
  const meDir = (await director.get('/api/v1/me')).json, meDir2 = (await worker2.get('/api/v1/me')).json;
  const community = meDir.org_unit.id, community2 = meDir2.org_unit.id;
  const bantian = (await ok(await district.get(`/api/v1/org-units/${community2}`))).parent_id;
  let grid = await ok(await district.post('/api/v1/org-units', { parent_id: community, code: uniq('G').replace(/[^A-Za-z0-9]/g, '').slice(0, 30),
    name: uniq('监护网格'), level: 'grid' }), 201);
  const birth = randomBirth();
  const kid = await ok(await director.post('/api/v1/children', { name: uniq('网格童'), sex: 'male', birth_date: birth,
    id_number: makeId(birth, true), community_id: community, grid_id: grid.id }), 201);
  let g = await ok(await social.post('/api/v1/guardianship', { child_id: kid.id, kind: 'temporary', grounds: ['a92_4'], reason: '父母失联' }), 201);
  g = await ok(await district.post(`/api/v1/guardianship/${g.id}/decide`, { action: 'approve', version: g.version }));
  g = await ok(await social.post(`/api/v1/guardianship/${g.id}/place`, { placement_kind: 'relatives', placement_name: '舅舅家',
    placement_contact: '王强', placement_phone: '13800138000', placement_address: '坂田街道', version: g.version }));
  // A social worker of 坂田 (made by the district, first login).
  const username = uniq('gsw');
  const made = await ok(await district.post('/api/v1/users', { username, display_name: '坂田社工', role: 'social_worker', org_unit_id: bantian }), 201);
  const first = new Client();
  await ok(await first.login(username, made.initial_password));
  await ok(await first.post('/api/v1/me/password', { old_password: made.initial_password, new_password: 'Guard-pass-2026' }), [200, 204]);
  const social2 = await loginAs(username, 'Guard-pass-2026');
  const reveal = (who) => who.post(`/api/v1/children/${kid.id}/reveal`, { target: 'placement', ref_id: g.id, field: 'phone', purpose: '联系安置家庭' });
  const inbox = async (who) => (await ok(await who.get('/api/v1/inbox?page_size=200'))).items
    .filter((i) => i.subject.type === 'guardianship' && i.subject.id === g.id).map((i) => i.kind).sort();
  const listed = async (who) => (await ok(await who.get('/api/v1/guardianship?page_size=200'))).items.some((x) => x.id === g.id);
  assert.equal((await social2.get(`/api/v1/guardianship/${g.id}`)).status, 404);
  assert.deepEqual(await inbox(social), ['guardianship_limit', 'placement_check']);
  grid = await ok(await district.get(`/api/v1/org-units/${grid.id}`));
  grid = await ok(await district.post(`/api/v1/org-units/${grid.id}/move`, { parent_id: community2, version: grid.version }));
  try {
    assert.equal((await social.get(`/api/v1/guardianship/${g.id}`)).status, 404);
    assert.equal((await reveal(social)).status, 404);
    assert.equal(await listed(social), false);
    assert.deepEqual(await inbox(social), []);
    const seen = await ok(await social2.get(`/api/v1/guardianship/${g.id}`));
    assert.equal(seen.unit.id, community2);
    assert.equal((await ok(await reveal(social2))).value, '13800138000');
    assert.equal(await listed(social2), true);
    assert.deepEqual(await inbox(social2), ['guardianship_limit', 'placement_check']);
  } finally {
    grid = await ok(await district.get(`/api/v1/org-units/${grid.id}`));
    await ok(await district.post(`/api/v1/org-units/${grid.id}/move`, { parent_id: community, version: grid.version }));
  }
  assert.equal((await ok(await social.get(`/api/v1/guardianship/${g.id}`))).unit.id, community);
});
