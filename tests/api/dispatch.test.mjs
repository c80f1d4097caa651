// Dispatch orders (派单) over real HTTP: the full loop a public report → the center triages and
// links a child → dispatches to 区教育局 → the liaison accepts → feeds back → the center's return
// visit → closed, with the tracking code showing each status; then a return (rejected and
// approved), an extension with a new deadline, a redo (重办), co-handling with a street, the
// 工作流转单, who sees what (the liaison never sees the reporter; units outside get 404), the work
// items in each side's 待办, and statistics that match the records (JSON and watermarked XLSX).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, PNG, loginAs, makeId, randomBirth, uniq } from './client.mjs';

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

const anon = () => new Client();

// A public report; its tracking code and the center's view of it (found by its unique text).
async function publicReport(district, text) {
  const code = (await ok(await anon().post('/api/v1/public/reports',
    { description: text, place: '布吉街道某小区门口', child_age: 9, contact_name: '王先生', contact_phone: '13912345678' }), 201)).tracking_code;
  assert.ok(code);
  const list = await ok(await district.get(`/api/v1/reports?channel=public&q=${encodeURIComponent(text)}&page_size=20`));
  const item = list.items.find((x) => JSON.stringify(x).includes(text)) ?? list.items[0];
  assert.ok(item, 'the center sees the public report');
  return { code, id: item.id };
}

async function track(code) {
  return (await ok(await anon().get(`/api/v1/public/reports/${code}`))).status;
}

async function triage(district, id, { category = 'guardianship', urgency = '24h', unit_id, child_id } = {}) {
  const r = await ok(await district.get(`/api/v1/reports/${id}`));
  return ok(await district.post(`/api/v1/reports/${id}/triage`,
    { version: r.version, urgency, category, ...(unit_id ? { unit_id } : {}), ...(child_id ? { child_id } : {}), note: '研判' }));
}

async function reportVersion(district, id) {
  return (await ok(await district.get(`/api/v1/reports/${id}`))).version;
}

async function act(client, id, action, extra = {}) {
  const cur = await ok(await client.get(`/api/v1/dispatch-orders/${id}`));
  return client.post(`/api/v1/dispatch-orders/${id}/actions`, { action, version: cur.version, ...extra });
}

let ctx;
test('set up: the demo accounts, 区教育局 and the units', async () => {
  const c = {};
  for (const r of ['district', 'liaison', 'supervisor', 'director', 'director2', 'leader']) c[r] = await loginAs(r);
  const agencies = (await ok(await c.district.get('/api/v1/agencies?page_size=200'))).items;
  const edu = agencies.find((a) => a.kind === 'department' && a.dept_type === 'education');
  const police = agencies.find((a) => a.kind === 'department' && a.dept_type === 'police');
  assert.ok(edu && police);
  const me = {};
  for (const r of Object.keys(c)) me[r] = (await ok(await c[r].get('/api/v1/me')));
  const community = me.director.org_unit;
  const buji = me.supervisor.org_unit;
  // A child in the 儿童主任's community, for the report to link and the child file's tab.
  const birth = randomBirth();
  const child = await ok(await c.director.post('/api/v1/children', {
    name: '派单测试' + uniq('儿').slice(-4), sex: 'male', birth_date: birth, id_number: makeId(birth, true),
    community_id: community.id, hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    health: 'healthy' }), 201);
  ctx = { c, edu, police, community, buji, child };
});

test('the full loop: public report → triage → 区教育局 → accept → feedback → revisit → closed', async () => {
  const { c, edu, community, child } = ctx;
  const text = uniq('孩子长期独自在家无人照料');
  const { code, id } = await publicReport(c.district, text);
  assert.equal(await track(code), 'received');
  await triage(c.district, id, { unit_id: community.id, child_id: child.id });
  assert.equal(await track(code), 'triaged');

  const sent = await ok(await c.district.post(`/api/v1/reports/${id}/dispatch`,
    { version: await reportVersion(c.district, id), lead: { agency_id: edu.id, instructions: '请核实儿童就学和照料情况' } }), 201);
  const order = sent.items[0];
  assert.equal(order.status, 'pending_accept');
  assert.equal(order.target.name, edu.name);
  assert.ok(order.accept_due_at.endsWith('+08:00'));
  assert.equal(await track(code), 'dispatched');

  // The liaison's 待办 has the order; the liaison sees what the order needs, never the reporter.
  const inbox = await ok(await c.liaison.get('/api/v1/inbox?kind=dispatch_accept&page_size=200'));
  assert.ok(inbox.items.some((i) => i.subject.id === order.id), JSON.stringify(inbox.items.slice(0, 3)));
  const seen = await c.liaison.get(`/api/v1/dispatch-orders/${order.id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(seen.json.actions, ['accept', 'return']);
  assert.ok(!seen.text.includes('王先生') && !seen.text.includes('13912345678'), 'no reporter in the order');
  assert.equal((await c.liaison.get(`/api/v1/reports/${id}`)).status, 403, 'departments never read reports directly');
  // Units outside the dispatch: 404.
  assert.equal((await c.director2.get(`/api/v1/dispatch-orders/${order.id}`)).status, 404);
  assert.equal((await c.director2.get(`/api/v1/reports/${id}/timeline`)).status, 404);

  await ok(await act(c.liaison, order.id, 'accept'));
  const noNote = await act(c.liaison, order.id, 'feedback');
  assert.equal(noNote.status, 400);
  assert.equal(noNote.json.error.field, 'note');
  const att = await ok(await c.liaison.request('POST', `/api/v1/dispatch-attachments?order_id=${order.id}&name=visit.png`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201);
  const fed = await ok(await act(c.liaison, order.id, 'feedback', { note: '已联系学校，安排老师每日家访', attachment_ids: [att.id] }));
  assert.equal(fed.status, 'feedback');
  assert.equal(await track(code), 'feedback');
  const revisitItems = await ok(await c.district.get('/api/v1/inbox?kind=dispatch_revisit&page_size=200'));
  assert.ok(revisitItems.items.some((i) => i.subject.id === order.id));

  const closed = await ok(await act(c.district, order.id, 'revisit',
    { note: '电话回访报告人，情况属实已改善', reached: '报告人', satisfied: true, verified: true }));
  assert.equal(closed.status, 'closed');
  assert.equal(await track(code), 'closed');

  const t = await ok(await c.district.get(`/api/v1/reports/${id}/timeline`));
  assert.deepEqual(t.steps.map((s) => s.action), ['dispatch', 'accept', 'feedback', 'revisit']);
  assert.equal(t.steps[1].met, true);
  assert.deepEqual(t.steps[2].attachment_ids, [att.id]);
  assert.equal(t.steps[3].reached, '报告人');
  assert.ok(t.steps.every((s) => s.by.name && s.at));
  // The child file's tab shows the order to those who see the child.
  const tab = await ok(await c.director.get(`/api/v1/children/${child.id}/dispatch-orders`));
  assert.ok(tab.items.some((o) => o.id === order.id));
  assert.equal((await c.director2.get(`/api/v1/children/${child.id}/dispatch-orders`)).json.items.length, 0);
  ctx.loop = { id, order: order.id };
});

test('a return: rejected with a reason, then approved; a designated order cannot be returned', async () => {
  const { c, edu, police, community } = ctx;
  const { id } = await publicReport(c.district, uniq('学生疑似辍学打工'));
  await triage(c.district, id, { unit_id: community.id, category: 'dropout', urgency: 'routine' });
  const order = (await ok(await c.district.post(`/api/v1/reports/${id}/dispatch`,
    { version: await reportVersion(c.district, id), lead: { agency_id: edu.id } }), 201)).items[0];
  assert.equal((await act(c.liaison, order.id, 'return')).status, 400);
  await ok(await act(c.liaison, order.id, 'return', { note: '不属于教育部门职责' }));
  const review = await ok(await c.district.get('/api/v1/inbox?kind=dispatch_return_review&page_size=200'));
  assert.ok(review.items.some((i) => i.subject.id === order.id));
  const forbidden = await act(c.liaison, order.id, 'approve_return');
  assert.equal(forbidden.status, 403);
  const back = await ok(await act(c.district, order.id, 'reject_return', { note: '辍学属教育部门职责' }));
  assert.equal(back.status, 'pending_accept');
  await ok(await act(c.liaison, order.id, 'return', { note: '该生已转学外区' }));
  const returned = await ok(await act(c.district, order.id, 'approve_return'));
  assert.equal(returned.status, 'returned');
  // The center dispatches again, designated: the receiver may not return it.
  const again = (await ok(await c.district.post(`/api/v1/reports/${id}/dispatch`,
    { version: await reportVersion(c.district, id), lead: { agency_id: police.id, designated: true } }), 201)).items[0];
  assert.equal((await c.liaison.get(`/api/v1/dispatch-orders/${again.id}`)).status, 404, 'another department: 404');
  const stale = await c.district.post(`/api/v1/dispatch-orders/${again.id}/actions`, { action: 'close', version: 999, note: 'x' });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.error.code, 'invalid_state');
});

test('an extension with a new deadline, a redo, and co-handling with a street', async () => {
  const { c, edu, community, buji } = ctx;
  const { id, code } = await publicReport(c.district, uniq('儿童心理危机需干预'));
  await triage(c.district, id, { unit_id: community.id, category: 'mental_crisis' });
  const sent = (await ok(await c.district.post(`/api/v1/reports/${id}/dispatch`,
    { version: await reportVersion(c.district, id), lead: { agency_id: edu.id }, co: [{ unit_id: buji.id, instructions: '街道配合走访' }] }), 201)).items;
  assert.equal(sent.length, 2);
  const [lead, co] = sent;
  assert.equal(co.role, 'co');
  await ok(await act(c.liaison, lead.id, 'accept'));
  const coView = await ok(await c.supervisor.get(`/api/v1/dispatch-orders/${co.id}`));
  assert.equal(coView.access, 'receiver');
  assert.equal((await c.supervisor.get(`/api/v1/dispatch-orders/${lead.id}`)).status, 200, 'the street reads orders about its reports');

  // Extension: asked with a date, approved with another.
  const due = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  const granted = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  const noDate = await act(c.liaison, lead.id, 'request_extension', { note: '需联系心理咨询机构' });
  assert.equal(noDate.status, 400);
  const asked = await ok(await act(c.liaison, lead.id, 'request_extension', { note: '需联系心理咨询机构', due_date: due }));
  assert.equal(asked.flow_state, 'extension_requested');
  const ext = await ok(await c.district.get('/api/v1/inbox?kind=dispatch_extension_review&page_size=200'));
  assert.ok(ext.items.some((i) => i.subject.id === lead.id));
  const approved = await ok(await act(c.district, lead.id, 'approve_extension', { due_date: granted }));
  assert.ok(approved.handle_due_at.startsWith(granted), approved.handle_due_at);
  assert.equal(approved.extensions, 1);

  // The lead waits for its co-handler.
  const early = await act(c.liaison, lead.id, 'feedback', { note: '已安排心理老师' });
  assert.equal(early.status, 409);
  assert.equal(early.json.error.code, 'co_pending');
  await ok(await act(c.supervisor, co.id, 'accept'));
  await ok(await act(c.supervisor, co.id, 'feedback', { note: '街道已入户走访两次' }));
  const leadSeesCo = await ok(await c.liaison.get(`/api/v1/dispatch-orders/${co.id}`));
  assert.equal(leadSeesCo.access, 'lead_receiver');
  await ok(await act(c.liaison, lead.id, 'feedback', { note: '已安排心理老师' }));
  // Unresolved at the revisit: redo (重办), the report is back in handling.
  const redo = await ok(await act(c.district, lead.id, 'revisit',
    { note: '监护人反映未见改善', reached: '监护人', satisfied: false, verified: false }));
  assert.equal(redo.status, 'handling');
  assert.equal(redo.round, 2);
  assert.equal(await track(code), 'dispatched');
  await ok(await act(c.liaison, lead.id, 'feedback', { note: '转介专业心理机构，已开始干预' }));
  await ok(await act(c.district, lead.id, 'revisit', { note: '回访满意', reached: '儿童及监护人', satisfied: true, verified: true }));
  assert.equal((await ok(await c.district.get(`/api/v1/dispatch-orders/${co.id}`))).status, 'closed');
  assert.equal(await track(code), 'closed');
  const t = await ok(await c.liaison.get(`/api/v1/reports/${id}/timeline`));
  assert.equal(t.orders.length, 2, 'the lead sees its co order');
  assert.ok(t.steps.some((s) => s.action === 'redo'));
  assert.ok(t.steps.some((s) => s.action === 'approve_extension' && s.new_due_at.startsWith(granted)));
});

test('lists are scoped and filtered; bad filters are 400', async () => {
  const { c, edu } = ctx;
  const mine = await ok(await c.liaison.get('/api/v1/dispatch-orders?page_size=100'));
  assert.ok(mine.items.length > 0);
  assert.ok(mine.items.every((o) => o.target.agency_id === edu.id), 'a liaison lists its own department\'s orders');
  const d2 = await ok(await c.director2.get('/api/v1/dispatch-orders?page_size=100'));
  assert.ok(d2.items.every((o) => o.access !== 'center'));
  assert.equal((await c.district.get('/api/v1/dispatch-orders?status=bogus')).status, 400);
  assert.equal((await c.district.get('/api/v1/dispatch-orders?page_size=100000')).status, 400);
  const closed = await ok(await c.district.get(`/api/v1/dispatch-orders?status=closed&report_id=${ctx.loop.id}`));
  assert.deepEqual(closed.items.map((o) => o.id), [ctx.loop.order]);
});

test('statistics match the records; the XLSX carries the watermark', async () => {
  const { c } = ctx;
  const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  const from = new Date(Date.now() - 365 * 86400000).toISOString().slice(0, 10);
  const s = await ok(await c.district.get(`/api/v1/dispatch/stats?from=${from}&to=${today}&by=department`));
  // Recount from the order list.
  let all = [];
  for (let page = 1; ; page++) {
    const r = await ok(await c.district.get(`/api/v1/dispatch-orders?page=${page}&page_size=200`));
    all = all.concat(r.items);
    if (r.items.length < 200) break;
  }
  const inPeriod = all.filter((o) => o.dispatched_at.slice(0, 10) >= from);
  assert.equal(s.total.received, inPeriod.length);
  assert.equal(s.total.returned, inPeriod.filter((o) => o.returned).length);
  assert.equal(s.total.extensions, inPeriod.reduce((n, o) => n + o.extensions, 0));
  assert.equal(s.total.satisfied, inPeriod.filter((o) => o.satisfied === true).length);
  assert.equal(s.total.overdue_now, inPeriod.filter((o) => o.overdue).length);
  for (const by of ['street', 'month', 'category', 'channel']) {
    const r = await ok(await c.district.get(`/api/v1/dispatch/stats?from=${from}&to=${today}&by=${by}`));
    assert.equal(r.rows.reduce((n, x) => n + x.received, 0), s.total.received, by);
  }
  assert.equal((await c.district.get(`/api/v1/dispatch/stats?from=${from}&to=${today}&by=nope`)).status, 400);
  assert.equal((await c.director.get(`/api/v1/dispatch/stats?from=${from}&to=${today}`)).status, 403);
  const leader = await ok(await c.leader.get(`/api/v1/dispatch/stats?from=${from}&to=${today}&by=month`));
  assert.equal(leader.total.received, s.total.received);
  const x = await c.district.get(`/api/v1/dispatch/stats.xlsx?from=${from}&to=${today}&by=department`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});

test('closed through dispatch: the center gives the outcome and the reply; the mandatory reporter sees the result', async () => {
  const { c, edu } = ctx;
  const school = await loginAs('school');
  const police = { reported: true, station: '布吉派出所', reported_at: '2026-12-01 09:30', receipt_no: uniq('JJ') };
  const m = await ok(await school.post('/api/v1/reports', { channel: 'mandatory', description: uniq('学生多日未到校，家中无人'),
    place: '布吉某小学', situations: ['s6'], child_name: uniq('学生'), child_age: 9, police }), 201);
  await triage(c.district, m.id, { category: 'guardianship' });
  const order = (await ok(await c.district.post(`/api/v1/reports/${m.id}/dispatch`,
    { version: await reportVersion(c.district, m.id), lead: { agency_id: edu.id } }), 201)).items[0];
  await ok(await act(c.liaison, order.id, 'accept'));
  await ok(await act(c.liaison, order.id, 'feedback', { note: '学校已联系亲属接回照料' }));
  const bad = await act(c.district, order.id, 'revisit',
    { note: '回访', reached: '班主任', satisfied: true, verified: true, reply_to_reporter: 'x'.repeat(2001) });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'reply_to_reporter');
  await ok(await act(c.district, order.id, 'revisit', { note: '电话回访班主任', reached: '班主任', satisfied: true, verified: true,
    outcome: '亲属已接回照料，学校每日跟进', reply_to_reporter: '已核实处置，儿童由亲属照料，感谢您的报告' }));
  const d = await ok(await c.district.get(`/api/v1/reports/${m.id}`));
  assert.equal(d.status, 'closed');
  assert.equal(d.outcome, '亲属已接回照料，学校每日跟进');
  assert.equal(d.reply_to_reporter, '已核实处置，儿童由亲属照料，感谢您的报告');
  const seen = await ok(await school.get(`/api/v1/reports/${m.id}`));
  assert.equal(seen.status, 'closed');
  assert.equal(seen.result, '已核实处置，儿童由亲属照料，感谢您的报告');
  assert.equal(seen.outcome, undefined, 'the reporter sees the reply, not the center\'s outcome');
});

test('closing a report directly closes its open orders in the same transaction', async () => {
  const { c, edu, community, buji } = ctx;
  const { id } = await publicReport(c.district, uniq('儿童夜间在网吧逗留'));
  await triage(c.district, id, { unit_id: community.id });
  const [lead, co] = (await ok(await c.district.post(`/api/v1/reports/${id}/dispatch`,
    { version: await reportVersion(c.district, id), lead: { agency_id: edu.id }, co: [{ unit_id: buji.id }] }), 201)).items;
  await ok(await act(c.supervisor, co.id, 'accept'));
  await ok(await act(c.supervisor, co.id, 'feedback', { note: '街道已走访' }));
  await ok(await act(c.liaison, lead.id, 'accept'));
  await ok(await act(c.liaison, lead.id, 'feedback', { note: '已处置' }));
  // The report waits on the revisit; the center closes it from the report instead.
  await ok(await c.district.post(`/api/v1/reports/${id}/close`,
    { version: await reportVersion(c.district, id), outcome: '中心核实已解决', reply_to_reporter: '已处理' }));
  for (const o of [lead, co]) {
    const got = await ok(await c.district.get(`/api/v1/dispatch-orders/${o.id}`));
    assert.equal(got.status, 'closed', `order ${o.id}`);
    assert.deepEqual(got.actions, []);
  }
  const inbox = await ok(await c.district.get('/api/v1/inbox?kind=dispatch_revisit&page_size=200'));
  assert.ok(!inbox.items.some((i) => i.subject.id === lead.id), 'no revisit left in the 待办');
  const t = await ok(await c.district.get(`/api/v1/reports/${id}/timeline`));
  const closes = t.steps.filter((s) => s.action === 'close');
  assert.equal(closes.length, 2, 'each open order has its close step');
  assert.ok(closes.every((s) => s.note.includes('中心核实已解决')));
});
