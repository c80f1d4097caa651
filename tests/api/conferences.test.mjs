// Case conferences (个案会商) over real HTTP: the demo's conferences (a held one with 区教育局's overdue decision
// and the community's done one; the next one planned, showing the open decision as a follow-up); then a new
// conference convened by the street, recorded with decisions for 区教育局 and the community, the liaison seeing
// only its decision (never the conference) and completing it from its 待办, the director completing the other, the
// close; scope (another street 404), validation errors, the .docx minutes (a zip with the minutes' text) and the
// audit of reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { PNG, loginAs } from './client.mjs';

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

// The entries of a zip (local headers): name -> text (stored or deflated).
function unzip(buf) {
  const out = {};
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const method = buf.readUInt16LE(at + 8);
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const extra = buf.readUInt16LE(at + 28);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    const data = buf.subarray(at + 30 + nameLen + extra, at + 30 + nameLen + extra + size);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    at += 30 + nameLen + extra + size;
  }
  return out;
}

let c = {};
let ctx = {};
test('set up: demo accounts, 区教育局, the units, the demo child', async () => {
  for (const r of ['district', 'liaison', 'supervisor', 'director', 'director2', 'grid', 'leader']) c[r] = await loginAs(r);
  const agencies = (await ok(await c.district.get('/api/v1/agencies?page_size=200'))).items;
  ctx.edu = agencies.find((a) => a.kind === 'department' && a.dept_type === 'education');
  ctx.social = agencies.find((a) => a.kind === 'social_org' && a.name.includes('春晖社会工作服务中心'));  // the demo's (other suites add their own)
  ctx.me = {};
  for (const r of Object.keys(c)) ctx.me[r] = await ok(await c[r].get('/api/v1/me'));
  const kids = (await ok(await c.supervisor.get(`/api/v1/children?q=${encodeURIComponent('陈思雨')}`))).items;
  assert.ok(kids.length > 0);
  ctx.child = kids[0].id;
});

test('the demo: a held conference with a done and an overdue decision, the next planned with the follow-up', async () => {
  const list = (await ok(await c.district.get(`/api/v1/conferences?child_id=${ctx.child}`))).items;
  const held = list.find((x) => x.status === 'held');
  const planned = list.find((x) => x.status === 'planned');
  assert.ok(held && planned, JSON.stringify(list.map((x) => x.status)));
  const h = await ok(await c.supervisor.get(`/api/v1/conferences/${held.id}`));
  assert.equal(h.decisions.length, 2);
  const edu = h.decisions.find((d) => d.owner.agency_id === ctx.edu.id);
  assert.equal(edu.status, 'open');
  assert.equal(edu.overdue, true);
  assert.equal(h.decisions.find((d) => d.owner.kind === 'unit').status, 'done');
  const p = await ok(await c.supervisor.get(`/api/v1/conferences/${planned.id}`));
  assert.deepEqual(p.followups.map((d) => d.id), [edu.id]);
  // 区教育局's overdue decision is in the liaison's 待办.
  const inbox = await ok(await c.liaison.get('/api/v1/inbox?page_size=100'));
  assert.ok(JSON.stringify(inbox).includes(`/conferences/decisions/${edu.id}`), 'the decision is in the liaison inbox');
  ctx.demoHeld = held.id;
});

test('the config lists the reasons, and the district departments for a street supervisor', async () => {
  const cfg = await ok(await c.supervisor.get('/api/v1/conferences/config'));
  assert.ok(cfg.reasons.some((r) => r.code === 'red_grade'));
  assert.ok(cfg.agencies.some((a) => a.id === ctx.edu.id));
  assert.ok(cfg.agencies.some((a) => a.id === ctx.social.id));
  assert.deepEqual((await ok(await c.director.get('/api/v1/conferences/config'))).agencies, []);
});

test('convene, record, the liaison and the director complete their decisions, close', async () => {
  const conf = await ok(await c.supervisor.post('/api/v1/conferences', {
    child_id: ctx.child, reason: 'multi_department', reason_note: '需要教育、社区协同', scheduled_at: '2026-12-20 15:00',
    place: '布吉街道工作站', online: false, agenda: '通报情况；明确分工',
    participants: [{ kind: 'agency', agency_id: ctx.edu.id }, { kind: 'unit', unit_id: ctx.me.director.org_unit.id },
                   { kind: 'agency', agency_id: ctx.social.id, note: '社工' }, { kind: 'person', name: '李老师', note: '班主任' }],
  }), 201);
  assert.equal(conf.status, 'planned');
  assert.equal(conf.participants.length, 4);
  assert.ok(conf.actions.includes('record'));
  // Others: another street's director 404, a grid worker 403, the liaison 403 (no conference.read).
  assert.equal((await c.director2.get(`/api/v1/conferences/${conf.id}`)).status, 404);
  assert.equal((await c.grid.get(`/api/v1/conferences/${conf.id}`)).status, 403);
  assert.equal((await c.liaison.get(`/api/v1/conferences/${conf.id}`)).status, 403);
  // The director reads but may not record.
  assert.equal((await c.director.get(`/api/v1/conferences/${conf.id}`)).status, 200);
  assert.equal((await c.director.post(`/api/v1/conferences/${conf.id}/record`, { version: conf.version, discussion: 'x' })).status, 403);
  const bad = await c.supervisor.post(`/api/v1/conferences/${conf.id}/record`, { version: conf.version, discussion: '讨论',
    decisions: [{ content: '无主', due_date: '2026-12-30' }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_owner');
  const held = await ok(await c.supervisor.post(`/api/v1/conferences/${conf.id}/record`, {
    version: conf.version, discussion: '各方一致同意加强心理辅导与入户走访',
    attendance: conf.participants.map((p) => ({ participant_id: p.id, attended: p.name !== '李老师' })),
    decisions: [{ content: '协调学校安排心理辅导', agency_id: ctx.edu.id, due_date: '2026-12-31' },
                { content: '社区每周入户走访', unit_id: ctx.me.director.org_unit.id, due_date: '2026-12-31' }],
  }));
  assert.equal(held.status, 'held');
  assert.equal(held.participants.find((p) => p.name === '李老师').attended, false);
  const [edu, com] = held.decisions;
  // The liaison sees only its decision, not the community's; no minutes.
  const mine = await ok(await c.liaison.get('/api/v1/conference-decisions?status=open'));
  assert.ok(mine.items.some((d) => d.id === edu.id));
  assert.ok(!mine.items.some((d) => d.id === com.id));
  const seen = await ok(await c.liaison.get(`/api/v1/conference-decisions/${edu.id}`));
  assert.equal(seen.conference.child_name, '陈思雨');
  assert.ok(!JSON.stringify(seen).includes('各方一致同意'), 'the liaison does not see the discussion');
  assert.equal((await c.liaison.get(`/api/v1/conference-decisions/${com.id}`)).status, 404);
  // Closing waits for the decisions.
  const early = await c.supervisor.post(`/api/v1/conferences/${conf.id}/close`, { version: held.version });
  assert.equal(early.status, 409);
  assert.equal(early.json.error.code, 'decisions_open');
  // The liaison's work item links to the decision.
  const inbox = await ok(await c.liaison.get('/api/v1/inbox?page_size=100'));
  assert.ok(JSON.stringify(inbox).includes(`/conferences/decisions/${edu.id}`));
  const empty = await c.liaison.post(`/api/v1/conference-decisions/${edu.id}/complete`, { version: edu.version, note: '' });
  assert.equal(empty.status, 400);
  const done = await ok(await c.liaison.post(`/api/v1/conference-decisions/${edu.id}/complete`, { version: edu.version, note: '已安排每两周一次心理辅导' }));
  assert.equal(done.status, 'done');
  assert.equal((await c.liaison.post(`/api/v1/conference-decisions/${edu.id}/complete`, { version: done.version, note: 'again' })).status, 409);
  assert.equal((await c.liaison.post(`/api/v1/conference-decisions/${com.id}/complete`, { version: com.version, note: 'x' })).status, 404);
  await ok(await c.director.post(`/api/v1/conference-decisions/${com.id}/complete`, { version: com.version, note: '已走访两次' }));
  const cur = await ok(await c.supervisor.get(`/api/v1/conferences/${conf.id}`));
  const closed = await ok(await c.supervisor.post(`/api/v1/conferences/${conf.id}/close`, { version: cur.version }));
  assert.equal(closed.status, 'closed');
  ctx.closed = conf.id;
});

test('validation, materials, the minutes as .docx, the child tab', async () => {
  const r = await c.supervisor.post('/api/v1/conferences', { child_id: ctx.child, reason: 'other', scheduled_at: '2026-12-20 15:00', place: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'reason_note');
  const r2 = await c.supervisor.post('/api/v1/conferences', { child_id: ctx.child, reason: 'red_grade', scheduled_at: '2026-13-20 15:00', place: 'x' });
  assert.equal(r2.status, 400);
  const r3 = await c.director.post('/api/v1/conferences', { child_id: ctx.child, reason: 'red_grade', scheduled_at: '2026-12-20 15:00', place: 'x' });
  assert.equal(r3.status, 403);
  const planned = await ok(await c.supervisor.post('/api/v1/conferences', { child_id: ctx.child, reason: 'guardianship',
    scheduled_at: '2026-12-28 09:30', online: true }), 201);
  const up = await c.supervisor.request('POST', `/api/v1/conference-attachments?conference_id=${planned.id}&name=${encodeURIComponent('材料.png')}`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } });
  assert.equal(up.status, 201, up.text);
  const got = await c.director.request('GET', `/api/v1/conference-attachments/${up.json.id}?conference_id=${planned.id}`);
  assert.equal(got.status, 200);
  const notImage = await c.supervisor.request('POST', `/api/v1/conference-attachments?conference_id=${planned.id}&name=a.exe`,
    { body: Buffer.from('MZ....'), raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  // The platform's attachment checks (platform/service/attachments.h), as for dispatch feedback.
  assert.equal(notImage.status, 400);
  assert.equal(notImage.json.error.code, 'invalid_file_type');
  assert.equal(notImage.json.error.field, 'file');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal((await c.supervisor.get(`/api/v1/conferences/${planned.id}/minutes.docx`)).status, 409);
  const res = await fetch(`${process.env.TH_BASE_URL ?? 'http://127.0.0.1:8080'}/api/v1/conferences/${ctx.closed}/minutes.docx`,
    { headers: { Cookie: c.district.cookie } });
  assert.equal(res.status, 200);
  const parts = unzip(Buffer.from(await res.arrayBuffer()));
  assert.ok(parts['[Content_Types].xml']);
  assert.ok(parts['word/document.xml'].includes('个案会商纪要'));
  assert.ok(parts['word/document.xml'].includes('各方一致同意加强心理辅导与入户走访'));
  assert.ok(parts['word/document.xml'].includes('已安排每两周一次心理辅导'));
  const tab = await ok(await c.director.get(`/api/v1/children/${ctx.child}/conferences`));
  assert.ok(tab.items.length >= 3);
  assert.equal((await c.director2.get(`/api/v1/children/${ctx.child}/conferences`)).status, 404);
  const audit = await ok(await c.district.get('/api/v1/audit?action=conference.export&page_size=5'));
  assert.ok(audit.items.length >= 1);
});

// The red-grade listener's default (config/cases/cases.json alarm.start_conference on): the demo's 杨若曦, graded red
// by the social worker yesterday, waits in the 布吉 supervisor's 待办 as 召集个案会商; a new red grade opens one for its
// child, once however often it is graded red.
test('a red grade asks the street station for a conference (the default), in the demo and live', async () => {
  const needed = async (who) => (await ok(await who.get('/api/v1/inbox?kind=conference_needed&page_size=200'))).items;
  const demo = (await needed(c.supervisor)).find((i) => i.subject.label === '杨若曦');
  assert.ok(demo, 'the demo red grade is in the supervisor\'s 待办');
  assert.match(demo.title, /召集个案会商/);
  const social = await loginAs('social');
  const me = (await c.director.get('/api/v1/me')).json;
  const birth = '2015-03-0' + (1 + (Date.now() % 9));
  const kid = await ok(await c.director.post('/api/v1/children', { name: '红评童' + (Date.now() % 100000), sex: 'male', birth_date: birth,
    no_id_reason: '未落户', community_id: me.org_unit.id }), 201);
  const RED = { g_status: 'absent', g_unseen_months: 14, s_harm: false, s_home: 'hazard', h_health: 'good', h_mood: 'distress',
    e_school: 'at_risk', f_income: 'extreme', f_support: ['allowance'] };
  for (let i = 0; i < 2; i++) {
    const d = await ok(await social.post('/api/v1/assessments', { child_id: kid.id, form: 'gd_risk', answers: RED }), 201);
    const done = await ok(await social.post(`/api/v1/assessments/${d.id}/complete`, { version: d.version }));
    assert.equal(done.grade.code, 'red');
  }
  const mine = (await needed(c.supervisor)).filter((i) => i.subject.id === kid.id);
  assert.equal(mine.length, 1, JSON.stringify(mine));
});

// The case page's 个案会商 section (GET /cases/{id}/conferences): scoped through the case; the case's conferences (the
// ones the section used to filter out of the child's list) and the count of the child's others; another street's
// case 404, no conference.read 403, a bad id 400, the read audited.
test('the case page section: the case\'s conferences and the child\'s others, scoped through the case', async () => {
  const found = (await ok(await c.supervisor.get(`/api/v1/cases?child_id=${ctx.child}&page_size=50`))).items.map((x) => x.case ?? x);
  let kase = found.find((k) => k.status !== 'closed');
  if (!kase) kase = await ok(await c.supervisor.post('/api/v1/cases', { child_id: ctx.child, source: 'decision', reason: '会商测试个案' }), 201);
  kase = kase.case ?? kase;
  const conf = await ok(await c.supervisor.post('/api/v1/conferences', { child_id: ctx.child, case_id: kase.id, reason: 'red_grade',
    scheduled_at: '2026-12-29 10:00', place: '布吉街道工作站', participants: [] }), 201);
  for (const who of ['supervisor', 'director', 'district', 'leader']) {
    const got = await ok(await c[who].get(`/api/v1/cases/${kase.id}/conferences`));
    const child = (await ok(await c[who].get(`/api/v1/children/${ctx.child}/conferences`))).items;
    // Exactly what the section showed when it filtered the child's list by case, in the same order.
    assert.deepEqual(got.items.map((x) => x.id), child.filter((x) => x.case_id === kase.id).map((x) => x.id), who);
    assert.ok(got.items.some((x) => x.id === conf.id && x.title === conf.title && x.status === 'planned'), who);
    assert.equal(got.child_others, child.length - got.items.length, who);
    assert.ok(got.child_others >= 2, `${who}: the demo's two conferences are not linked to the case`);
  }
  // Another street's 儿童主任: the case is outside its jurisdiction, 404 as GET /cases/{id}, in the error shape.
  const foreign = await c.director2.get(`/api/v1/cases/${kase.id}/conferences`);
  assert.equal(foreign.status, 404, foreign.text);
  assert.equal(foreign.json.error.code, 'not_found');
  assert.equal((await c.director2.get(`/api/v1/cases/${kase.id}`)).status, 404);
  assert.ok(!foreign.text.includes(conf.title));
  // Roles without conference.read: the liaison (a decision's assignee) and the grid worker.
  for (const who of ['liaison', 'grid']) {
    const r = await c[who].get(`/api/v1/cases/${kase.id}/conferences`);
    assert.equal(r.status, 403, `${who}: ${r.text}`);
    assert.equal(r.json.error.code, 'forbidden');
  }
  for (const bad of ['abc', '0', '-3', '1.5']) {
    const r = await c.supervisor.get(`/api/v1/cases/${bad}/conferences`);
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid_id');
    assert.equal(r.json.error.field, 'id');
    assert.ok(r.json.error.message);
  }
  assert.equal((await c.supervisor.get('/api/v1/cases/999999999/conferences')).status, 404);
  const audit = await ok(await c.district.get(`/api/v1/audit?action=conference.case_list&object_type=case&object_id=${kase.id}`));
  assert.ok(audit.total >= 4, JSON.stringify(audit.items[0]));
});
