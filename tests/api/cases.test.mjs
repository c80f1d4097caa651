// Cases and assessments (个案, 双评估, issue 12) over real HTTP: a 儿童主任 opens a case for a new child
// (one open case per child), the social worker assesses on the Guangdong form (a draft, validation naming
// the question, completion), the grade reaches the child file and the list filter, the completed
// assessment is immutable, the comparison, the workflow to closure with its timeline, scope (another street
// → 404) and permissions (grid worker 403, leader read-only), the forms as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth, uniq } from './client.mjs';

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

const RED = { g_status: 'absent', g_unseen_months: 13, s_harm: true, s_home: 'safe', h_health: 'good', h_mood: 'stable', e_school: 'in_school', f_income: 'hard' };
const BLUE = { g_status: 'weak', g_unseen_months: 6, s_harm: false, s_home: 'safe', h_health: 'good', h_mood: 'stable', e_school: 'in_school', f_income: 'stable' };

let director, director2, social, grid, leader, supervisor, child;
test('log in and file a child', async () => {
  [director, director2, social, grid, leader, supervisor] = await Promise.all(
    ['director', 'director2', 'social', 'grid', 'leader', 'supervisor'].map((u) => loginAs(u)));
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  child = await ok(await director.post('/api/v1/children', { name: uniq('个案童'), sex: 'female', birth_date: birth,
    id_number: makeId(birth, false), community_id: me.org_unit.id }), 201);
});

let kase;
test('a case opens once per child, in scope, by those who may', async () => {
  assert.equal((await grid.post('/api/v1/cases', { child_id: child.id, source: 'roll' })).status, 403);
  assert.equal((await director2.post('/api/v1/cases', { child_id: child.id, source: 'roll' })).status, 404);
  const noReason = await director.post('/api/v1/cases', { child_id: child.id, source: 'decision' });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.json.error.field, 'reason');
  kase = await ok(await social.post('/api/v1/cases', { child_id: child.id, source: 'decision', reason: '入户发现父母外出、无人照料' }), 201);
  assert.equal(kase.status, 'intake');
  assert.equal(kase.worker.display_name, '周敏');
  assert.deepEqual(kase.events.map((e) => e.action), ['open']);
  assert.ok(kase.actions.includes('assess') && kase.actions.includes('close'));
  const again = await director.post('/api/v1/cases', { child_id: child.id, source: 'roll' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'case_open');
  assert.equal((await director2.get(`/api/v1/cases/${kase.id}`)).status, 404);
  const lead = await ok(await leader.get(`/api/v1/cases/${kase.id}`));
  assert.equal(lead.reason, '***');
  assert.deepEqual(lead.actions, []);
  // The social worker's inbox has the assessment to do.
  const inbox = (await social.get('/api/v1/inbox?kind=case_assess&page_size=200')).json.items;
  assert.ok(inbox.some((i) => i.subject.type === 'case' && i.subject.id === kase.id), JSON.stringify(inbox.slice(0, 2)));
});

let first;
test('the Guangdong form: a draft, errors naming the question, completion grades the child red', async () => {
  const forms = (await ok(await social.get('/api/v1/assessment-forms'))).items;
  assert.deepEqual(forms.map((f) => f.kind).sort(), ['guardianship', 'needs', 'risk']);
  const risk = forms.find((f) => f.kind === 'risk');
  assert.equal(risk.code, 'gd_risk');
  assert.deepEqual(risk.grades.map((g) => `${g.name}${g.level}${g.action}`), ['红高风险立即介入', '黄中高风险定期介入', '蓝中低风险保持关注', '绿低风险常规关注']);
  let d = await ok(await social.post('/api/v1/assessments', { child_id: child.id, form: 'gd_risk', answers: { g_status: 'absent' } }), 201);
  assert.equal(d.case_id, kase.id);
  assert.equal(d.status, 'draft');
  let r = await social.request('PUT', `/api/v1/assessments/${d.id}`, { body: { answers: { g_status: 'sometimes' }, version: d.version } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'g_status');
  r = await social.post(`/api/v1/assessments/${d.id}/complete`, { version: d.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'required');
  assert.equal(r.json.error.field, 'g_unseen_months');
  d = await ok(await social.request('PUT', `/api/v1/assessments/${d.id}`, { body: { answers: RED, version: d.version } }));
  first = await ok(await social.post(`/api/v1/assessments/${d.id}/complete`, { version: d.version }));
  assert.equal(first.status, 'completed');
  assert.equal(first.grade.code, 'red');
  assert.equal(first.grade.action, '立即介入');
  assert.equal(first.grade.color, '#d93026');
  // Immutable once completed.
  r = await social.request('PUT', `/api/v1/assessments/${d.id}`, { body: { answers: BLUE, version: first.version } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_state');
  // The grade is on the child's file and filters the list.
  const file = await ok(await director.get(`/api/v1/children/${child.id}`));
  assert.equal(file.risk_grade, 'red');
  assert.ok(file.risk_graded_at > 0);
  const reds = (await ok(await director.get('/api/v1/children?risk_grade=red&page_size=200'))).items;
  assert.ok(reds.some((c) => c.id === child.id));
  assert.ok(reds.every((c) => c.risk_grade === 'red'));
  const greens = (await ok(await director.get('/api/v1/children?risk_grade=green&page_size=200'))).items;
  assert.ok(!greens.some((c) => c.id === child.id));
  // The case moved on from intake and lists by grade.
  const k = await ok(await social.get(`/api/v1/cases/${kase.id}`));
  assert.equal(k.status, 'assessing');
  assert.equal(k.grade.code, 'red');
  const listed = (await ok(await supervisor.get('/api/v1/cases?grade=red&page_size=200'))).items;
  assert.ok(listed.some((x) => x.id === kase.id));
  assert.equal((await grid.get('/api/v1/cases')).status, 403);
});

test('a second assessment compares with the first; the case runs to closure and reopens', async () => {
  let d = await ok(await social.post('/api/v1/assessments', { child_id: child.id, form: 'gd_risk', answers: BLUE }), 201);
  const second = await ok(await social.post(`/api/v1/assessments/${d.id}/complete`, { version: d.version }));
  assert.equal(second.grade.code, 'blue');
  assert.equal((await ok(await director.get(`/api/v1/children/${child.id}`))).risk_grade, 'blue');
  const cmp = await ok(await social.get(`/api/v1/assessments/compare?a=${first.id}&b=${second.id}`));
  const changed = cmp.rows.filter((r) => r.changed).map((r) => r.question_id).sort();
  assert.deepEqual(changed, ['f_income', 'g_status', 'g_unseen_months', 's_harm']);
  assert.equal(cmp.rows.find((r) => r.question_id === 's_harm').a, '是');
  const needs = await ok(await social.post('/api/v1/assessments', { child_id: child.id, form: 'needs',
    answers: { n_living: '2', n_safety: '0', n_education: '1', n_health: '0', n_mind: '3', n_family: '0' } }), 201);
  assert.equal((await social.get(`/api/v1/assessments/compare?a=${first.id}&b=${needs.id}`)).json.error.code, 'not_comparable');
  let k = await ok(await social.get(`/api/v1/cases/${kase.id}`));
  for (const action of ['plan', 'intervene', 'review']) {
    k = await ok(await social.post(`/api/v1/cases/${kase.id}/actions`, { action, version: k.version }));
  }
  assert.equal(k.status, 'reviewing');
  let r = await social.post(`/api/v1/cases/${kase.id}/actions`, { action: 'intervene', version: k.version });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_state');
  r = await social.post(`/api/v1/cases/${kase.id}/actions`, { action: 'close', version: k.version });
  assert.equal(r.json.error.field, 'note');
  k = await ok(await social.post(`/api/v1/cases/${kase.id}/actions`, { action: 'close', note: '风险降低，转常规关注', version: k.version }));
  assert.equal(k.status, 'closed');
  assert.equal(k.close_reason, '风险降低，转常规关注');
  k = await ok(await social.post(`/api/v1/cases/${kase.id}/actions`, { action: 'reopen', note: '再次接到报告', version: k.version }));
  assert.equal(k.status, 'assessing');
  assert.deepEqual(k.events.map((e) => e.action), ['open', 'assess', 'plan', 'intervene', 'review', 'close', 'reopen']);
  const list = (await ok(await social.get(`/api/v1/children/${child.id}/assessments`))).items;
  assert.equal(list.length, 3);
  assert.equal((await director2.get(`/api/v1/children/${child.id}/assessments`)).status, 404);
});
