// Work items over HTTP (issue 10): the demo district's real work (`tonghu demo`: roll requests in every state,
// screening tasks, extensions, one escalation sweep) and the extension workflow of GET /work-items/{id} and
// POST /work-items/{id}/actions, with its errors (400/403/404/409) and scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs, makeId, randomBirth, uniq, waitBatch } from './client.mjs';

const DAY = 86400000;
const dateOf = (iso) => iso.slice(0, 10);
const addDays = (ymd, n) => new Date(Date.parse(ymd + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10);

async function all(client, p) {
  const out = [];
  for (let page = 1; page <= 50; page++) {
    const r = await client.get(`${p}${p.includes('?') ? '&' : '?'}page=${page}&page_size=200`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    if (r.json.items.length < 200) break;
  }
  return out;
}

test('tonghu demo: real work in the demo district, no synthetic items', async () => {
  const district = await loginAs('district');
  const supervisor = await loginAs('supervisor');
  const director = await loginAs('director');
  // Roll requests in every state, proposed by the communities' 儿童主任.
  const requests = await all(district, '/api/v1/roll-requests');
  const statuses = new Set(requests.map((r) => r.status));
  for (const s of ['pending_review', 'pending_confirm', 'confirmed', 'returned']) assert.ok(statuses.has(s), `a demo request ${s}: ${[...statuses]}`);
  // The street reviews, the district confirms: their inboxes hold the requests' items, some overdue.
  const sup = await all(supervisor, '/api/v1/inbox');
  const reviews = sup.filter((i) => i.kind === 'roll_review' && i.subject.type === 'roll_request');
  assert.ok(reviews.length >= 3, `the street's reviews: ${reviews.length}`);
  assert.ok(reviews.some((i) => i.overdue), 'a review is overdue');
  assert.ok(reviews.some((i) => !i.overdue), 'a review is not yet due');
  const dist = await all(district, '/api/v1/inbox');
  assert.ok(dist.some((i) => i.kind === 'roll_confirm' && i.overdue), 'a confirmation is overdue');
  // Screening: the batches' findings are verification tasks of the communities' 儿童主任.
  const batches = (await district.get('/api/v1/screening/batches?page_size=200')).json.items;
  assert.ok(batches.some((b) => b.file_name === '困境家庭名单-2026年11月.csv' && b.status === 'done'), 'the demo batch');
  const mine = await all(director, '/api/v1/inbox?kind=screening_verify');
  assert.ok(mine.some((i) => i.subject.type === 'verification_task' && i.overdue), 'an overdue verification task');
  assert.ok(mine.some((i) => i.state === 'extension_requested'), 'a pending extension request');
  // Nothing synthetic anywhere.
  for (const i of [...sup, ...dist, ...mine]) {
    assert.notEqual(i.subject.type, 'demo');
    assert.doesNotMatch(i.subject.label, /演示待办/);
  }
  // The closing sweep escalated: 督办 of the street lists overdue items at level 2+, with their history.
  const over = await all(supervisor, '/api/v1/inbox/overdue');
  const overPage = (await supervisor.get('/api/v1/inbox/overdue?page_size=1')).json;
  assert.equal(overPage.total, over.length);
  assert.equal(overPage.total_capped, false);
  // The inbox counts by kind carry the items due later today (deadline today in Asia/Shanghai, not overdue).
  const counts = (await supervisor.get('/api/v1/inbox?page_size=1')).json.counts;
  for (const c of counts) assert.equal(typeof c.due_today, 'number', JSON.stringify(c));
  const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  assert.equal(counts.reduce((a, c) => a + c.due_today, 0), sup.filter((i) => !i.overdue && i.due_at && dateOf(i.due_at) === today).length);
  const escalated = over.find((i) => i.escalation_level >= 2);
  assert.ok(escalated, 'an escalated item in the street');
  const d = (await supervisor.get(`/api/v1/work-items/${escalated.id}`)).json;
  assert.ok(d.escalations.some((e) => e.step === 'overdue'), JSON.stringify(d.escalations));
  assert.ok(d.escalations.every((e) => /\+08:00$/.test(e.at)));
  // ... and told people: the supervisor has escalation notifications tied to work items.
  const notes = (await supervisor.get('/api/v1/notifications?page_size=50')).json.items;
  assert.ok(notes.some((n) => n.work_item_id), 'an escalation notification');
});

// A fresh verification task of the director's community (a grade-1 disability not in the child's file).
async function freshItem(district, director) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const idNumber = makeId(birth, true);
  const name = '延期' + uniq('').slice(-4).replace(/[0-9a-z]/g, (c) => '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地人和山水'[parseInt(c, 36) % 32]);
  let r = await director.post('/api/v1/children', {
    name, sex: 'male', birth_date: birth, id_number: idNumber, community_id: me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local', health: 'healthy',
  });
  assert.equal(r.status, 201, r.text);
  r = await district.post('/api/v1/screening/sources', { name: uniq('残联'), dept_type: 'disability',
    mapping: { name: '姓名', id_number: '身份证号', birth_date: '出生日期', community: '社区', disability_grade: '残疾等级' } });
  assert.equal(r.status, 201, r.text);
  const csv = `姓名,身份证号,出生日期,社区,残疾等级\r\n${name},${idNumber},${birth},${me.org_unit.code},一级\r\n`;
  r = await district.request('POST', `/api/v1/screening/batches?source_id=${r.json.id}&file_name=${uniq('ext')}.csv`,
    { body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.ok([201, 202].includes(r.status), r.text);
  const batch = await waitBatch(district, r.json.id);
  assert.equal(batch.status, 'done');
  const tasks = (await district.get('/api/v1/screening/tasks?page_size=200')).json.items;
  const task = tasks.find((t) => t.finding.batch_id === batch.id);
  assert.ok(task, 'the task');
  const items = await all(director, '/api/v1/inbox?kind=screening_verify');
  const item = items.find((i) => i.subject.type === 'verification_task' && i.subject.id === task.id);
  assert.ok(item, 'the task is in the director\'s inbox');
  return item;
}

test('extension workflow: request, reject, request again, approve; errors in order; scope', async () => {
  const district = await loginAs('district');
  const supervisor = await loginAs('supervisor');
  const director = await loginAs('director');
  const director2 = await loginAs('director2');
  const leader = await loginAs('leader');
  const item = await freshItem(district, director);
  const url = `/api/v1/work-items/${item.id}`;
  const act = (c, body) => c.post(`${url}/actions`, body);

  // The owner reads it and may request an extension; a supervisor reads it with nothing to decide.
  let r = await director.get(url);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.actions, ['request_extension']);
  assert.equal(r.json.state, 'open');
  assert.deepEqual(r.json.steps, []);
  assert.equal(r.json.round, 1);
  const due = dateOf(r.json.due_at);
  assert.deepEqual((await supervisor.get(url)).json.actions, []);
  // Scope: another community's 儿童主任 → 404 (read and act); a leader in the district, neither owner nor overseer → 403.
  assert.equal((await director2.get(url)).status, 404);
  assert.equal((await act(director2, { action: 'request_extension', note: '越权', version: 1 })).status, 404);
  assert.equal((await director2.get('/api/v1/work-items/999999999')).status, 404);
  assert.equal((await leader.get(url)).status, 403);
  // Who may take which step.
  assert.equal((await act(supervisor, { action: 'request_extension', note: '不是我的', version: 1 })).status, 403);
  assert.equal((await act(director, { action: 'approve_extension', version: 1, due_date: addDays(due, 5) })).status, 403);
  r = await act(supervisor, { action: 'nope', version: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_enum');
  assert.equal(r.json.error.field, 'action');
  // Nothing to decide yet → 409 invalid_state.
  r = await act(supervisor, { action: 'approve_extension', version: 1, due_date: addDays(due, 5) });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_state');
  // The request: a reason is required, the wanted date must be later, the version current.
  r = await act(director, { action: 'request_extension', version: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'note');
  r = await act(director, { action: 'request_extension', note: '家长外出，下周入户', version: 1, due_date: due });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'due_date_not_later');
  r = await act(director, { action: 'request_extension', note: '家长外出，下周入户', version: 1, due_date: '2026-02-30' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'due_date');
  r = await act(director, { action: 'request_extension', note: '家长外出，下周入户', version: 7 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'stale_version');
  r = await act(director, { action: 'request_extension', note: '家长外出，下周入户', version: 1, due_date: addDays(due, 7) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'extension_requested');
  assert.deepEqual(r.json.actions, []);
  assert.equal(r.json.steps.length, 1);
  assert.equal(r.json.steps[0].action, 'request_extension');
  assert.equal(r.json.steps[0].note, '家长外出，下周入户');
  assert.equal(dateOf(r.json.steps[0].due_at), addDays(due, 7));
  assert.equal(r.json.steps[0].by.name, '王秀英');
  assert.equal((await act(director, { action: 'request_extension', note: '再次申请', version: 2 })).json.error.code, 'invalid_state');
  // The inbox shows the state.
  const listed = (await all(director, '/api/v1/inbox?kind=screening_verify')).find((i) => i.id === item.id);
  assert.equal(listed.state, 'extension_requested');

  // The supervisor rejects (a note is required): the deadline stays.
  assert.deepEqual((await supervisor.get(url)).json.actions, ['approve_extension', 'reject_extension']);
  r = await act(supervisor, { action: 'reject_extension', version: 2 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'note');
  r = await act(supervisor, { action: 'reject_extension', note: '请按期入户核实', version: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'open');
  assert.equal(dateOf(r.json.due_at), due);
  assert.equal(r.json.steps[1].by.name, '李建华');

  // Asked again and approved: the new deadline is the end of the given day, a new round.
  r = await act(director, { action: 'request_extension', note: '监护人住院，需延后', version: 3, due_date: addDays(due, 10) });
  assert.equal(r.status, 200, r.text);
  r = await act(supervisor, { action: 'approve_extension', note: '同意', version: 4 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'due_date');
  r = await act(supervisor, { action: 'approve_extension', note: '同意', version: 4, due_date: addDays(due, 8) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'open');
  assert.equal(r.json.due_at, `${addDays(due, 8)}T23:59:59+08:00`);
  assert.equal(r.json.round, 2);
  assert.deepEqual(r.json.steps.map((s) => s.action), ['request_extension', 'reject_extension', 'request_extension', 'approve_extension']);
  assert.equal(dateOf(r.json.steps[3].due_at), addDays(due, 8));
  // The district may read it too; a stale approval is 409.
  assert.equal((await district.get(url)).status, 200);
  assert.equal((await act(district, { action: 'reject_extension', note: '迟到的审批', version: 4 })).status, 409);

  // Audited, and errors in English on request.
  const audit = (await district.get(`/api/v1/audit?object_type=work_item&object_id=${item.id}&page_size=50`)).json.items;
  assert.deepEqual(audit.map((a) => a.action).sort(),
    ['work.approve_extension', 'work.reject_extension', 'work.request_extension', 'work.request_extension']);
  const en = new Client({ lang: 'en' });
  await en.login('supervisor');
  r = await en.post(`${url}/actions`, { action: 'reject_extension', note: 'x', version: 5 });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /[A-Za-z]/);
  assert.doesNotMatch(r.json.error.message, /[\u4e00-\u9fff]/);
});

// 督办 lists the extension requests awaiting a decision in the caller's subtree, overdue or not
// (GET /inbox/overdue?state=extension_requested): before, a request on an item not yet overdue was
// nowhere for the supervisor to find.
test('督办: pending extension requests in the subtree, overdue or not', async () => {
  const district = await loginAs('district');
  const supervisor = await loginAs('supervisor');
  const director = await loginAs('director');
  const item = await freshItem(district, director);
  const url = `/api/v1/work-items/${item.id}`;
  const pending = '/api/v1/inbox/overdue?state=extension_requested';
  assert.equal((await supervisor.get(pending)).status, 200);
  assert.ok(!(await all(supervisor, pending)).some((i) => i.id === item.id), 'not requested yet');
  let r = await director.post(`${url}/actions`, { action: 'request_extension', note: '家长外出', version: item.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.overdue, false);
  // Not overdue: not in the overdue list, but in the pending requests, for the supervisor and the district.
  assert.ok(!(await all(supervisor, '/api/v1/inbox/overdue')).some((i) => i.id === item.id));
  const listed = (await all(supervisor, pending)).find((i) => i.id === item.id);
  assert.ok(listed, 'the request is listed for the supervisor');
  assert.equal(listed.state, 'extension_requested');
  assert.equal(listed.overdue, false);
  assert.ok((await all(supervisor, pending)).every((i) => i.state === 'extension_requested'));
  assert.ok((await all(district, pending)).some((i) => i.id === item.id));
  assert.ok((await all(supervisor, `${pending}&kind=screening_verify`)).some((i) => i.id === item.id));
  assert.ok(!(await all(supervisor, `${pending}&kind=roll_review`)).some((i) => i.id === item.id));
  // Errors: an unknown state (400), a caller without work.oversee (403).
  r = await supervisor.get('/api/v1/inbox/overdue?state=open');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_enum');
  assert.equal(r.json.error.field, 'state');
  assert.equal((await director.get(pending)).status, 403);
  // Decided: no longer pending.
  r = await supervisor.post(`${url}/actions`, { action: 'reject_extension', note: '请按期完成', version: item.version + 1 });
  assert.equal(r.status, 200, r.text);
  assert.ok(!(await all(supervisor, pending)).some((i) => i.id === item.id));
});
