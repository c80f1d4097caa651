// Plans (一人一策), service records and group services over real HTTP: a child of the 儿童主任's
// community gets a case (cases module) moved to planning; the director drafts a plan (goals from the
// needs), fills services, a 1+N team with a phone (masked unless revealed by plan.write) and a task;
// submits → the street supervisor's 待办 has the plan_review item → approve → the case is in
// intervening and the task is a plan_task item in the community's 待办; a service record with an
// attachment; the .docx is a zip with the plan's text; a revision makes version 2 and supersedes 1;
// a group with a member and a session; who sees what (another street 404, a leader reads, no writes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, PNG, loginAs, makeId, randomBirth } from './client.mjs';

async function ok(r, status = [200, 201, 204]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

// A new child of `community` (as the director files it).
async function makeChild(director, community) {
  const birth = randomBirth();
  return ok(await director.post('/api/v1/children', {
    name: '计划测试' + Math.random().toString(36).slice(2, 6), sex: 'female', birth_date: birth, id_number: makeId(birth, false),
    community_id: community, hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local', health: 'healthy',
    guardian: { name: '王奶奶', relation: 'grandmother', phone: '13800001111' },
  }), 201);
}

// A case of `childId` moved to planning (the cases module's routes): a completed risk assessment
// (the move needs one) and a completed needs assessment (the plan's goals come from it).
const RED = { g_status: 'absent', g_unseen_months: 13, s_harm: true, s_home: 'safe', h_health: 'good', h_mood: 'stable', e_school: 'in_school', f_income: 'hard' };
const NEEDS = { n_living: '2', n_safety: '3', n_education: '1', n_health: '0', n_mind: '0', n_family: '0' };
export async function planningCase(client, childId) {
  let k = await ok(await client.post('/api/v1/cases', { child_id: childId, source: 'decision', reason: '计划模块测试：父母外出务工' }), 201);
  k = k.case ?? k;
  for (const [form, answers] of [['gd_risk', RED], ['needs', NEEDS]]) {
    const a = await ok(await client.post('/api/v1/assessments', { child_id: childId, case_id: k.id, form, answers }), 201);
    await ok(await client.post(`/api/v1/assessments/${a.id}/complete`, { version: a.version }));
  }
  for (const [from, action] of [['intake', 'assess'], ['assessing', 'plan']]) {
    const cur = await ok(await client.get(`/api/v1/cases/${k.id}`));
    const kc = cur.case ?? cur;
    if (kc.status === from) await ok(await client.post(`/api/v1/cases/${k.id}/actions`, { action, version: kc.version, note: '测试' }));
  }
  const cur = await ok(await client.get(`/api/v1/cases/${k.id}`));
  assert.equal((cur.case ?? cur).status, 'planning');
  return k.id;
}

const FULL = (unitId) => ({
  title: '个案服务计划(一人一策)', summary: '父母外出务工，祖母照看', period_from: '2026-11-01', period_to: '2027-04-30',
  goals: [{ need_code: 'safety', need_name: '安全', goal: '掌握居家安全知识', measure: '安全知识问答合格' }],
  services: [{ type: 'counseling', title: '每周心理疏导', frequency: 'weekly', provider: '驻站社工' },
             { type: 'group', title: '安全教育小组', frequency: 'monthly', provider: '街道未保站' }],
  team: [{ role: 'caring_mother', name: '刘爱华', org: '社区妇联', phone: '13900139002' },
         { role: 'teacher', name: '周老师', org: '实验小学', phone: '13700137003' }],
  tasks: [{ title: '联系学校了解出勤', owner_unit_id: unitId, owner_role: 'child_director', due_date: '2030-12-31' }],
});

let ctx;
test('set up: accounts, a child and a case in planning', async () => {
  const c = {};
  for (const r of ['district', 'supervisor', 'director', 'director2', 'leader', 'grid']) c[r] = await loginAs(r);
  const me = {};
  for (const r of Object.keys(c)) me[r] = await ok(await c[r].get('/api/v1/me'));
  const child = await makeChild(c.director, me.director.org_unit.id);
  const caseId = await planningCase(c.director, child.id);
  ctx = { c, me, child, caseId };
});

test('a plan: draft from needs, edit, masked phones, submit, approve → case intervening, tasks on the engine', async () => {
  const { c, me, caseId } = ctx;
  const cfg = await ok(await c.director.get('/api/v1/plan-config'));
  assert.ok(cfg.service_types.some((s) => s.code === 'counseling'));
  const draft = await ok(await c.director.post(`/api/v1/cases/${caseId}/plans`, {}), 201);
  assert.equal(draft.number, 1);
  assert.equal(draft.status, 'draft');
  // Goals without text cannot be submitted.
  const early = await c.director.post(`/api/v1/plans/${draft.id}/actions`, { action: 'submit', version: draft.version });
  assert.equal(early.status, 400, early.text);
  const saved = await ok(await c.director.request('PUT', `/api/v1/plans/${draft.id}`, { body: { ...FULL(me.director.org_unit.id), version: draft.version } }));
  assert.equal(saved.team[0].phone, '139****9002');
  assert.equal(saved.goals[0].need_name, '安全');  // kept from the editor (a *_name field once was dropped as read-only)
  assert.equal(saved.services.length, 2);
  const stale = await c.director.request('PUT', `/api/v1/plans/${draft.id}`, { body: { ...FULL(me.director.org_unit.id), version: draft.version } });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.error.code, 'stale_version');
  const bad = await c.director.request('PUT', `/api/v1/plans/${draft.id}`,
    { body: { services: [{ type: 'counseling', title: 'x', frequency: 'hourly' }], version: saved.version } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'services[0].frequency');
  const revealed = await ok(await c.director.get(`/api/v1/plans/${draft.id}?reveal=1`));
  assert.equal(revealed.team[0].phone, '13900139002');
  assert.equal((await c.leader.get(`/api/v1/plans/${draft.id}?reveal=1`)).status, 403);
  assert.equal((await c.leader.get(`/api/v1/plans/${draft.id}`)).status, 200);
  // Another street's director: 404.
  assert.equal((await c.director2.get(`/api/v1/plans/${draft.id}`)).status, 404);
  assert.equal((await c.director2.get(`/api/v1/cases/${caseId}/plans`)).status, 404);

  const sub = await ok(await c.director.post(`/api/v1/plans/${draft.id}/actions`, { action: 'submit', version: saved.version }));
  assert.equal(sub.status, 'submitted');
  const inbox = await ok(await c.supervisor.get('/api/v1/inbox?page_size=200'));
  assert.ok(inbox.items.some((i) => i.kind === 'plan_review' && i.subject.id === draft.id), 'the station has the review');
  const queue = await ok(await c.supervisor.get('/api/v1/plan-approvals'));
  assert.ok(queue.items.some((p) => p.id === draft.id));
  assert.equal((await c.director.post(`/api/v1/plans/${draft.id}/actions`, { action: 'approve', version: sub.version })).status, 403);
  const approved = await ok(await c.supervisor.post(`/api/v1/plans/${draft.id}/actions`, { action: 'approve', version: sub.version, note: '同意' }));
  assert.equal(approved.status, 'approved');
  const kase = await ok(await c.director.get(`/api/v1/cases/${caseId}`));
  assert.equal((kase.case ?? kase).status, 'intervening');
  const dirInbox = await ok(await c.director.get('/api/v1/inbox?page_size=200'));
  const task = approved.tasks[0];
  const item = dirInbox.items.find((i) => i.kind === 'plan_task' && i.subject.id === task.id);
  assert.ok(item, 'the task is in the community\'s 待办');
  assert.match(item.due_at, /^2030-12-31T23:59:59/);
  const done = await ok(await c.director.post(`/api/v1/plans/${draft.id}/tasks/${task.id}/done`, {}));
  assert.equal(done.tasks[0].done, true);
  ctx.plan = done;
});

test('service records with an attachment, and the printable plan and .docx', async () => {
  const { c, caseId, plan } = ctx;
  const rec = await ok(await c.director.post(`/api/v1/cases/${caseId}/services`, {
    served_on: '2026-11-20', service_type: 'home_visit', delivered_by: '李社工', duration_min: 45, content: '入户探访，孩子情绪平稳', outcome: '照料落实', plan_id: plan.id,
  }), 201);
  const future = await c.director.post(`/api/v1/cases/${caseId}/services`, { served_on: '2099-01-01', service_type: 'home_visit', delivered_by: 'x', duration_min: 5, content: 'x' });
  assert.equal(future.status, 400);
  assert.equal(future.json.error.field, 'served_on');
  assert.equal((await c.grid.post(`/api/v1/cases/${caseId}/services`, { served_on: '2026-11-20', service_type: 'home_visit', delivered_by: 'x', duration_min: 5, content: 'x' })).status, 403);
  const att = await ok(await c.director.request('POST', `/api/v1/service-attachments?record_id=${rec.id}&name=photo.png`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201);
  const full = await ok(await c.director.get(`/api/v1/service-records/${rec.id}`));
  assert.equal(full.attachments[0].id, att.id);
  assert.equal((await c.director2.get(`/api/v1/service-attachments/${att.id}?record_id=${rec.id}`)).status, 404);
  const list = await ok(await c.director.get(`/api/v1/cases/${caseId}/services`));
  assert.ok(list.items.some((x) => x.id === rec.id));
  const doc = await ok(await c.director.get(`/api/v1/plans/${plan.id}/document`));
  assert.ok(JSON.stringify(doc).includes('掌握居家安全知识'));
  // The client reads text; the .docx is bytes.
  const r = await fetch(`${BASE}/api/v1/plans/${plan.id}/docx`, { headers: { Cookie: c.director.cookie } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /wordprocessingml/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plans-')), 'plan.docx');
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  execFileSync('unzip', ['-t', file]);  // a valid zip
  const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
  assert.ok(xml.includes('掌握居家安全知识') && xml.includes('刘爱华'));
  assert.ok(!xml.includes('13900139002'), 'phones masked in the export');
  assert.ok(execFileSync('unzip', ['-l', file], { encoding: 'utf8' }).includes('[Content_Types].xml'));
});

test('a revision is version 2 and supersedes version 1', async () => {
  const { c, caseId } = ctx;
  const v2 = await ok(await c.director.post(`/api/v1/cases/${caseId}/plans`, {}), 201);
  assert.equal(v2.number, 2);
  assert.equal(v2.goals.length, 1);
  assert.equal((await c.director.post(`/api/v1/cases/${caseId}/plans`, {})).status, 409);
  const sub = await ok(await c.director.post(`/api/v1/plans/${v2.id}/actions`, { action: 'submit', version: v2.version }));
  const ret = await c.supervisor.post(`/api/v1/plans/${v2.id}/actions`, { action: 'return', version: sub.version });
  assert.equal(ret.status, 400);
  assert.equal(ret.json.error.field, 'note');
  await ok(await c.supervisor.post(`/api/v1/plans/${v2.id}/actions`, { action: 'approve', version: sub.version }));
  const all = await ok(await c.director.get(`/api/v1/cases/${caseId}/plans`));
  assert.deepEqual(all.versions.map((v) => [v.number, v.status]), [[2, 'approved'], [1, 'superseded']]);
});

test('a group service with a member and a session', async () => {
  const { c, me, caseId } = ctx;
  const g = await ok(await c.supervisor.post('/api/v1/service-groups', { unit_id: me.supervisor.org_unit.id, name: '测试安全小组', group_type: 'safety', goal: '安全', facilitator: '李社工' }), 201);
  assert.equal((await c.director2.post('/api/v1/service-groups', { unit_id: me.supervisor.org_unit.id, name: 'x', group_type: 'safety' })).status, 400);
  await ok(await c.supervisor.post(`/api/v1/service-groups/${g.id}/members`, { case_id: caseId }));
  assert.equal((await c.supervisor.post(`/api/v1/service-groups/${g.id}/members`, { case_id: caseId })).status, 409);
  const s = await ok(await c.supervisor.post(`/api/v1/service-groups/${g.id}/sessions`, { held_on: '2026-11-21', topic: '防溺水', duration_min: 60, attendees: [caseId] }), 201);
  assert.deepEqual(s.attendees, [caseId]);
  const full = await ok(await c.supervisor.get(`/api/v1/service-groups/${g.id}`));
  assert.equal(full.member_list.length, 1);
  assert.equal(full.session_list.length, 1);
  assert.equal((await c.director2.get(`/api/v1/service-groups/${g.id}`)).status, 404);
  const list = await ok(await c.supervisor.get('/api/v1/service-groups'));
  assert.ok(list.items.some((x) => x.id === g.id));
  const view = await ok(await c.director.get(`/api/v1/cases/${caseId}/plans`));
  assert.ok(view.groups.some((x) => x.id === g.id));
});
