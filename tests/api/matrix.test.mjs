// The endpoint × role × jurisdiction matrix (issue 9): every route the server has (from
// `tonghu routes`, so a new route without cases here fails the build), called by every demo role
// with an object of the caller's own jurisdiction and with one of another (another street, another
// district), over real HTTP. Expected: no permission → 403; another jurisdiction → 404; own
// jurisdiction → the route's own answer (writes are sent with a stale version or a body that fails
// validation after the scope check, so the matrix changes nothing). No response body, list or
// export of any role may carry another jurisdiction's names. Plus paging fuzz on every list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client, PNG, loginAs, makeId, randomBirth, uniq, waitBatch } from './client.mjs';

const ROLES = ['admin', 'district', 'supervisor', 'director', 'director2', 'grid', 'social', 'liaison', 'leader', 'hospital'];
const RARE = '魑魅魍魉饕餮貔貅麒麟鸑鷟鹓鶵犇骉';
// Three rare characters (16^3 names): the markers below must not be any other child's name, and the
// other suites name children with two of the same characters, which can never contain three.
const pick = () => RARE[Math.floor(Math.random() * RARE.length)];
const rare = (family) => family + pick() + pick() + pick();
const PASSWORD = 'Matrix-pass-2026';
const PLACEMENT_PHONE = '13912340000';
const PLACEMENT_PURPOSE = '矩阵测试联系安置家庭';

function tonghu(args) {
  const bin = path.resolve('../build/src/app/tonghu');
  const common = ['--data-dir', process.env.TH_DATA_DIR, '--config-dir', path.resolve('../config')];
  if (process.env.TH_DATABASE) common.push('--database', process.env.TH_DATABASE);
  return execFileSync(bin, [...args, ...common], { encoding: 'utf8' });
}

function upload(client, p, body, contentType = 'text/csv') {
  return client.request('POST', p, { body, raw: true, headers: { 'Content-Type': contentType } });
}

// Plans (issue 12): the open case of `childId` (opened by `worker` when there is none) moved to
// planning, a draft plan with a task, a service record with an attachment, a group of `unitId` with
// the case as a member. Returns the ids the matrix cases use.
async function plansFixture(worker, district, childId, unitId) {
  const found = (await worker.get(`/api/v1/cases?child_id=${childId}&page_size=5`)).json?.items || [];
  let k = found.find((x) => (x.case ?? x).status !== 'closed');
  k = k ? (k.case ?? k) : (await ok(await worker.post('/api/v1/cases', { child_id: childId, source: 'decision', reason: '矩阵测试个案' }), 201));
  k = k.case ?? k;
  const RED = { g_status: 'absent', g_unseen_months: 13, s_harm: true, s_home: 'safe', h_health: 'good', h_mood: 'stable', e_school: 'in_school', f_income: 'hard' };
  const a = await ok(await worker.post('/api/v1/assessments', { child_id: childId, case_id: k.id, form: 'gd_risk', answers: RED }), 201);
  await ok(await worker.post(`/api/v1/assessments/${a.id}/complete`, { version: a.version }));
  for (const [from, action] of [['intake', 'assess'], ['assessing', 'plan']]) {
    const cur = (await ok(await worker.get(`/api/v1/cases/${k.id}`)));
    const kc = cur.case ?? cur;
    if (kc.status === from) await ok(await worker.post(`/api/v1/cases/${k.id}/actions`, { action, version: kc.version, note: '矩阵' }));
  }
  const plan = await ok(await worker.post(`/api/v1/cases/${k.id}/plans`, {
    goals: [{ need_code: 'safety', need_name: '安全', goal: '矩阵目标', measure: '' }],
    tasks: [{ title: '矩阵任务', owner_unit_id: unitId, owner_role: 'child_director', due_date: '2030-12-31' }] }), 201);
  const rec = await ok(await worker.post(`/api/v1/cases/${k.id}/services`,
    { served_on: '2026-11-01', service_type: 'home_visit', delivered_by: '矩阵', duration_min: 30, content: '矩阵' }), 201);
  const att = await ok(await worker.request('POST', `/api/v1/service-attachments?record_id=${rec.id}&name=m.png`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201);
  const group = await ok(await district.post('/api/v1/service-groups', { unit_id: unitId, name: '矩阵小组', group_type: 'safety' }), 201);
  await ok(await district.post(`/api/v1/service-groups/${group.id}/members`, { case_id: k.id }), [200, 204]);
  return { kase: k.id, plan: plan.id, ptask: plan.tasks[0].id, srecord: rec.id, sattach: att.id, group: group.id };
}

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

// Logs in with an issued password and sets PASSWORD, as a new user must at first login.
async function firstLogin(username, issued) {
  const c = new Client();
  await ok(await c.login(username, issued));
  await ok(await c.post('/api/v1/me/password', { old_password: issued, new_password: PASSWORD }), [200, 204]);
  return loginAs(username, PASSWORD);
}

// A user made by `admin` in `unit`, logged in.
async function makeUser(admin, role, unit, display) {
  const username = uniq('mx');
  const r = await admin.post('/api/v1/users', { username, display_name: display, role, org_unit_id: unit });
  const body = await ok(r, 201);
  return { client: await firstLogin(username, body.initial_password), user: body.user, username };
}

async function makeChild(client, community, grid) {
  const birth = randomBirth();
  const idNumber = makeId(birth, true);
  const name = rare('欧阳');
  const r = await client.post('/api/v1/children', {
    name, sex: 'male', birth_date: birth, id_number: idNumber, community_id: community, ...(grid ? { grid_id: grid } : {}),
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local', health: 'healthy',
    family: [
      { relation: 'father', name: rare('欧阳'), state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36 },
      { relation: 'mother', name: rare('林'), state: 'missing', state_since: '2024-02-01' },
    ],
    guardian: { name: rare('欧阳'), relation: 'grandmother', phone: '13800001111' },
  });
  const file = await ok(r, 201);
  await ok(await client.request('PUT', `/api/v1/child-photos/${file.id}?version=${file.version}`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }));
  const again = (await client.get(`/api/v1/children/${file.id}`)).json;
  const request = await ok(await client.post(`/api/v1/children/${file.id}/roll-requests`,
    { kind: 'entry', category: 'de_facto_unsupported', reason: '父亲服刑、母亲失联，无人抚养' }), 201);
  return { id: file.id, name, idNumber, birth, member: again.family[0].id, request: request.id ?? request.request?.id,
           community };
}


const MAPPING = { name: '人员姓名', id_number: '证件号码', birth_date: '出生日期', community: '所在社区',
                  disability_grade: '残疾等级', disability_type: '残疾类别' };

// Screening: a source and a batch whose rows flag the given children (grade-1 disability not in
// their files): one verification task per child, in the child's community.
async function screen(manager, children) {
  const src = await ok(await manager.post('/api/v1/screening/sources',
    { name: uniq('残联') , dept_type: 'disability', mapping: MAPPING }), 201);
  const csv = ['人员姓名,证件号码,出生日期,所在社区,残疾等级,残疾类别',
    ...children.map((c) => `${c.name},${c.idNumber},${c.birth},${c.communityCode},一级,肢体残疾`)].join('\r\n') + '\r\n';
  const fileName = uniq('matrix') + '.csv';
  const b = await ok(await upload(manager, `/api/v1/screening/batches?source_id=${src.id}&file_name=${fileName}`, csv), [201, 202]);
  const batch = await waitBatch(manager, b.id);
  assert.equal(batch.status, 'done', JSON.stringify(batch));
  const tasks = (await manager.get('/api/v1/screening/tasks?page_size=200')).json.items;
  const taskOf = (c) => tasks.find((t) => t.finding.batch_id === batch.id && JSON.stringify(t).includes(c.name))?.id;
  for (const c of children) c.task = taskOf(c);
  return { source: src.id, batch: batch.id, fileName, sourceName: src.name };
}

// The id of the open work item of verification task `taskId` in `client`'s inbox (paged through).
async function workItemOf(client, taskId) {
  for (let page = 1; page <= 50; page++) {
    const r = await client.get(`/api/v1/inbox?kind=screening_verify&page=${page}&page_size=200`);
    const hit = r.json.items.find((i) => i.subject.type === 'verification_task' && i.subject.id === taskId);
    if (hit) return hit.id;
    if (r.json.items.length < 200) return null;
  }
  return null;
}

// Everything the matrix needs, made through the API by real users.
async function setUp() {
  const c = {};
  for (const r of ROLES) c[r] = await loginAs(r);
  const me = {};
  for (const r of ROLES) me[r] = (await c[r].get('/api/v1/me')).json;
  const units = {
    community: me.director.org_unit, community2: me.director2.org_unit, grid: me.grid.org_unit,
    buji: me.supervisor.org_unit, district: me.district.org_unit,
  };
  units.bantian = { id: (await c.director2.get(`/api/v1/org-units/${units.community2.id}`)).json.parent_id };
  // Another district under the city: a city-level administrator (from the command line) creates
  // 龙华 with a street, a community, an agency, a district user and a child director.
  const cityName = uniq('cityadmin');
  tonghu(['user', 'add', '--username', cityName, '--display-name', '市级管理员', '--role', 'sysadmin',
          '--unit-code', '440300000000', '--password', 'Issued-pass-2026']);
  const city = await firstLogin(cityName, 'Issued-pass-2026');
  const cityUnit = (await city.get('/api/v1/me')).json.org_unit;
  let lh;
  for (let attempt = 0; !lh && attempt < 40; attempt++) {
    const code = `4403${50 + Math.floor(Math.random() * 49)}000000`;
    const r = await city.post('/api/v1/org-units', { parent_id: cityUnit.id, code, name: uniq('龙华区'), level: 'district' });
    if (r.status === 201) lh = r.json;
  }
  assert.ok(lh, 'a second district');
  const lhStreet = await ok(await city.post('/api/v1/org-units',
    { parent_id: lh.id, code: lh.code.slice(0, 6) + '001000', name: uniq('民治街道'), level: 'street' }), 201);
  const lhCommunity = await ok(await city.post('/api/v1/org-units',
    { parent_id: lhStreet.id, code: lh.code.slice(0, 6) + '001001', name: uniq('民治社区'), level: 'community' }), 201);
  const lhAgency = await ok(await city.post('/api/v1/agencies',
    { org_unit_id: lhStreet.id, kind: 'station', name: uniq('民治街道未保站') }), 201);
  const lhDistrict = await makeUser(city, 'district', lh.id, '龙华区民政');
  const lhDirector = await makeUser(city, 'child_director', lhCommunity.id, rare('龙华主任'));
  // Agencies of the two streets, a throwaway account to reset, disable and unlock.
  const agencies = (await c.district.get('/api/v1/agencies?page_size=200')).json.items;
  const station = (unitId) => agencies.find((a) => a.org_unit_id === unitId && a.kind === 'station').id;
  const throwaway = await ok(await c.district.post('/api/v1/users',
    { username: uniq('mxthrow'), display_name: '临时网格员', role: 'grid_worker', org_unit_id: units.community.id }), 201);
  const users = (await c.district.get('/api/v1/users?page_size=200')).json.items;
  const userId = (username) => users.find((u) => u.username === username).id;

  const C1 = await makeChild(c.director, units.community.id, units.grid.id);
  const C2 = await makeChild(c.director2, units.community2.id);
  const C3 = await makeChild(lhDirector.client, lhCommunity.id);
  C1.communityCode = units.community.code;
  C2.communityCode = units.community2.code;
  C3.communityCode = lhCommunity.code;
  const S1 = await screen(c.district, [C1, C2]);
  const S3 = await screen(lhDistrict.client, [C3]);
  assert.ok(C1.task && C2.task && C3.task, 'a verification task per child');
  // The work items of the three tasks, from their owners' inboxes.
  C1.work = await workItemOf(c.director, C1.task);
  C2.work = await workItemOf(c.director2, C2.task);
  C3.work = await workItemOf(lhDirector.client, C3.task);
  assert.ok(C1.work && C2.work && C3.work, 'a work item per task');
  // Reports (issue 11): a field report in each community naming its child, the grid worker's and the
  // social worker's own, an attachment on each community's, a duty shift in each district.
  const report = async (client, childName) => (await ok(await client.post('/api/v1/reports',
    { channel: 'field', description: '矩阵测试：走访发现孩子无人照料', place: '矩阵测试地点', child_name: childName }), 201)).id;
  const R1 = await report(c.director, C1.name);
  const R2 = await report(c.director2, C2.name);
  const R3 = await report(lhDirector.client, C3.name);
  const Rgrid = await report(c.grid, '网格员的报告');
  const Rsocial = await report(c.social, '社工的报告');
  const attach = async (client, id) => (await ok(await client.request('POST', `/api/v1/reports/${id}/attachments`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201)).id;
  const A1 = await attach(c.director, R1);
  const A2 = await attach(c.director2, R2);
  const A3 = await attach(lhDirector.client, R3);
  const shift = async (client, userId) => (await ok(await client.post('/api/v1/duty/shifts',
    { user_id: userId, starts_at: Date.now() + 30 * 86400000, ends_at: Date.now() + 30 * 86400000 + 3600000, note: '矩阵' }), 201)).id;
  // The hospital's reporter (强制报告责任人 of a reporting unit in 布吉街道): its own mandatory report.
  const Rhospital = (await ok(await c.hospital.post('/api/v1/reports', { channel: 'mandatory', description: '矩阵测试：接诊儿童多处外伤',
    place: '矩阵测试医院', situations: ['s4'], police: { reported: true, station: '布吉派出所', reported_at: '2026-12-01 08:00' } }), 201)).id;
  const S1shift = await shift(c.district, me.district.id);
  const S3shift = await shift(lhDistrict.client, lhDistrict.user.id);
  // Dispatch orders (issue 11): R1 (about C1) to 区教育局 with 布吉街道 co-handling (which accepts
  // and attaches a file), R2 to 坂田街道, R3 to 龙华's street.
  const triageAndSend = async (client, id, unitId, childId, lead, co = []) => {
    const r = (await client.get(`/api/v1/reports/${id}`)).json;
    const t = await ok(await client.post(`/api/v1/reports/${id}/triage`,
      { version: r.version, urgency: '24h', category: 'guardianship', unit_id: unitId, ...(childId ? { child_id: childId } : {}), note: '矩阵' }));
    const v = t.version ?? t.report?.version ?? (await client.get(`/api/v1/reports/${id}`)).json.version;
    return (await ok(await client.post(`/api/v1/reports/${id}/dispatch`, { version: v, lead, co }), 201)).items;
  };
  const edu = agencies.find((a) => a.kind === 'department' && a.dept_type === 'education').id;
  const [O1, O1co] = await triageAndSend(c.district, R1, units.community.id, C1.id, { agency_id: edu }, [{ unit_id: units.buji.id }]);
  const [O2] = await triageAndSend(c.district, R2, units.community2.id, C2.id, { unit_id: units.bantian.id });
  const [O3] = await triageAndSend(lhDistrict.client, R3, lhCommunity.id, C3.id, { unit_id: lhStreet.id });
  await ok(await c.supervisor.post(`/api/v1/dispatch-orders/${O1co.id}/actions`, { action: 'accept', version: O1co.version }));
  const D1 = await ok(await c.supervisor.request('POST', `/api/v1/dispatch-attachments?order_id=${O1co.id}&name=m.png`,
    { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201);
  // Visits (issue 12): a visit with a photo on each of the three children, by its community's director.
  const VISIT = { visited_on: new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10), seen: ['child'], place: 'home',
                  child_state: 'good', home_state: 'good', guardian_care: 'fair', follow_ups: '矩阵' };
  const visit = async (client, childId) => {
    const v = await ok(await client.post(`/api/v1/children/${childId}/visits`, VISIT), 201);
    const p = await ok(await client.request('POST', `/api/v1/visit-photos?visit_id=${v.id}`,
      { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201);
    return { visit: v.id, vphoto: p.id };
  };
  const V1 = await visit(c.director, C1.id);
  const V2 = await visit(c.director2, C2.id);
  const V3 = await visit(lhDirector.client, C3.id);
  // Early warnings (issue 12): a warning raised by hand on each of the three children, by its district.
  const warn = async (client, childId) => (await ok(await client.post(`/api/v1/children/${childId}/warnings`,
    { reason: '矩阵测试预警' }), [200, 201])).id;
  const W1 = await warn(c.district, C1.id);
  const W2 = await warn(c.district, C2.id);
  const W3 = await warn(lhDistrict.client, C3.id);

  // Cases (issue 12): a case and a draft risk assessment of each community's child.
  const openCase = async (client, child) => {
    const k = await ok(await client.post('/api/v1/cases', { child_id: child.id, source: 'roll' }), 201);
    const a = await ok(await client.post('/api/v1/assessments', { child_id: child.id, form: 'gd_risk', answers: {} }), 201);
    Object.assign(child, { case: k.id, assessment: a.id });
  };
  await openCase(c.director, C1);
  await openCase(c.director2, C2);
  await openCase(lhDirector.client, C3);

  // Plans (issue 12, plans module): each child's case in planning with a draft plan (one task), a
  // service record with an attachment, and a group of its community with the case as a member.
  const P1 = await plansFixture(c.director, c.district, C1.id, units.community.id);
  const P2 = await plansFixture(c.director2, c.district, C2.id, units.community2.id);
  const P3 = await plansFixture(lhDirector.client, lhDistrict.client, C3.id, lhCommunity.id);
  const obj = (child, unit, sub, agency, user, manage, batch) => ({ child, unit, sub, agency, user, manage, batch });
  const bujiRole = obj(C1, units.buji.id, units.community.id, station(units.buji.id), userId('grid'),
                       throwaway.user.id, S1);
  const O = {
    district: obj(C1, units.district.id, units.community.id, station(units.buji.id), userId('grid'), throwaway.user.id, S1),
    buji: bujiRole,
    director: obj(C1, units.community.id, units.grid.id, null, userId('grid'), throwaway.user.id, S1),
    director2: obj(C2, units.community2.id, units.community2.id, null, userId('director2'), null, S1),
    // The grid worker's task queue is its grid's: C1's task sits at the community, above it.
    grid: obj({ ...C1, task: null, work: null }, units.grid.id, units.grid.id, null, userId('grid'), null, S1),
  };
  const foreignStreet = obj(C2, units.community2.id, units.community2.id, station(units.bantian.id), userId('director2'),
                            userId('director2'), S1);
  const foreignOfDirector2 = obj(C1, units.community.id, units.community.id, station(units.buji.id), userId('director'),
                                 userId('director'), S1);
  const foreignDistrict = obj(C3, lhCommunity.id, lhCommunity.id, lhAgency.id, lhDirector.user.id, lhDirector.user.id, S3);
  // Reports: the object's report (its community's, or the caller's own for roles that read only theirs).
  for (const o of [...Object.values(O), foreignOfDirector2]) Object.assign(o, { report: R1, attachment: A1, shift: S1shift });
  O.social = { ...bujiRole, report: Rsocial, attachment: null, shift: S1shift };
  O.grid.report = Rgrid;
  O.grid.attachment = null;
  Object.assign(O.director2, { report: R2, attachment: A2 });
  Object.assign(foreignStreet, { report: R2, attachment: A2, shift: S1shift });
  Object.assign(foreignDistrict, { report: R3, attachment: A3, shift: S3shift });
  // The reporter sees its agency's reports only: the community's report of its own street is foreign to it.
  O.hospital = { ...bujiRole, report: Rhospital, attachment: null, shift: S1shift };
  const foreignOfHospital = { ...bujiRole, report: R1, attachment: A1, shift: S1shift };
  // Dispatch: the object's order (its report's; 区教育局's for the liaison, who sits at the district).
  for (const o of [...Object.values(O), foreignOfDirector2, foreignOfHospital]) Object.assign(o, { dreport: R1, order: O1.id, dorder: O1co.id, dattachment: D1.id });
  for (const o of [O.director2, foreignStreet]) Object.assign(o, { dreport: R2, order: O2.id, dorder: O2.id, dattachment: null });
  Object.assign(foreignDistrict, { dreport: R3, order: O3.id, dorder: O3.id, dattachment: null });
  // Plans: the object's child's plan set.
  const planOf = { [C1.id]: P1, [C2.id]: P2, [C3.id]: P3 };
  for (const o of [...Object.values(O), foreignStreet, foreignOfDirector2, foreignDistrict, foreignOfHospital]) Object.assign(o, planOf[o.child.id]);
  // Visits: the object's child's visit and photo.
  for (const o of [...Object.values(O), foreignOfDirector2, foreignOfHospital]) Object.assign(o, V1);
  for (const o of [O.director2, foreignStreet]) Object.assign(o, V2);
  Object.assign(foreignDistrict, V3);
  // Warnings: the object's child's warning.
  for (const o of [...Object.values(O), foreignOfDirector2, foreignOfHospital]) o.warning = W1;
  for (const o of [O.director2, foreignStreet]) o.warning = W2;
  foreignDistrict.warning = W3;
  // Case conferences (issue 12): the demo's held conference in 布吉街道 and its 区教育局 decision; seen by the street's
  // subtree and the district, not by 坂田 (director2) nor 龙华.
  const CONF = (await ok(await c.district.get('/api/v1/conferences?status=held&page_size=50'))).items[0].id;
  const CDEC = (await ok(await c.district.get(`/api/v1/conferences/${CONF}`))).decisions.find((d) => d.owner.kind === 'agency').id;
  for (const o of [...Object.values(O), foreignOfDirector2, foreignOfHospital]) Object.assign(o, { conf: CONF, cdecision: CDEC });
  for (const o of [O.director2, foreignStreet, foreignDistrict]) Object.assign(o, { conf: null, cdecision: null });
  // Guardianship interventions (issue 12): a temporary guardianship proposed for each jurisdiction's child (C1 by the
  // 布吉 social worker, C2 by the district, C3 by 龙华's district); seen only by guardianship.read in scope.
  const propose = async (client, child) => (await ok(await client.post('/api/v1/guardianship', { child_id: child.id, kind: 'temporary',
    grounds: ['a92_4'], reason: '矩阵测试监护干预' }), 201)).id;
  const G1 = await propose(c.social, C1), G2 = await propose(c.district, C2), G3 = await propose(lhDistrict.client, C3);
  // Each approved by its district and placed (the placement's phone is what the reveal cases show).
  const place = async (approver, placer, id) => {
    const a = await ok(await approver.post(`/api/v1/guardianship/${id}/decide`,
      { action: 'approve', version: (await ok(await approver.get(`/api/v1/guardianship/${id}`))).version }));
    await ok(await placer.post(`/api/v1/guardianship/${id}/place`, { placement_kind: 'relatives', placement_name: '矩阵安置家庭',
      placement_contact: '矩阵联系人', placement_phone: PLACEMENT_PHONE, placement_address: '矩阵测试地址', version: a.version }));
  };
  await place(c.district, c.social, G1);
  await place(c.district, c.district, G2);
  await place(lhDistrict.client, lhDistrict.client, G3);
  for (const o of [...Object.values(O), foreignOfDirector2, foreignOfHospital]) o.guard = G1;
  for (const o of [O.director2, foreignStreet]) o.guard = G2;
  foreignDistrict.guard = G3;
  const level = { admin: 'district', district: 'district', liaison: 'district', leader: 'district', supervisor: 'buji',
                  social: 'social', hospital: 'hospital', director: 'director', director2: 'director2', grid: 'grid' };
  const own = {}, foreign = {}, markers = {};
  for (const r of ROLES) {
    own[r] = O[level[r]];
    foreign[r] = level[r] === 'district' ? [foreignDistrict]
      : level[r] === 'director2' ? [foreignOfDirector2, foreignDistrict]
      : level[r] === 'hospital' ? [foreignOfHospital, foreignStreet, foreignDistrict] : [foreignStreet, foreignDistrict];
    // Names no body may carry for this role.
    markers[r] = level[r] === 'district' ? [C3.name, lh.name, lhStreet.name, lhCommunity.name, S3.fileName, S3.sourceName]
      : level[r] === 'director2' ? [C1.name, C3.name, lh.name]
      : level[r] === 'hospital' ? [C1.name, C2.name, C3.name, lh.name, units.community2.name]
      : [C2.name, C3.name, lh.name, units.community2.name];
  }
  return { c, me, own, foreign, markers, units, C1, C2, C3, city, cityUnit, lhCommunity };
}

// What each route needs and how to call it with an object. `perm(p)`: may a holder of the
// permission set p call it. `call(o, ctx)`: [method, path, body?, opts?] with o the object set.
// `ownStatus`: the answer for a permitted caller in its own jurisdiction. `foreign: false` marks
// a route without an object of a jurisdiction (public, the caller's own account, lists checked
// for foreign names instead).
const has = (...names) => (p) => names.some((n) => p.has(n));
const ANY = () => true;
const CASES = {
  'GET /api/v1/health': { perm: ANY, call: () => ['GET', '/api/v1/health'], ownStatus: [200], foreign: false, anonymous: 200 },
  'POST /api/v1/auth/login': { perm: ANY, call: () => ['POST', '/api/v1/auth/login', { username: 'no-such-user-mx', password: 'Wrong-pass-1' }],
                                ownStatus: [401], foreign: false, anonymous: 401 },
  'POST /api/v1/auth/logout': { perm: ANY, fresh: true, call: () => ['POST', '/api/v1/auth/logout'], ownStatus: [204, 200], foreign: false },
  'POST /api/v1/auth/logout-all': { perm: ANY, fresh: true, call: () => ['POST', '/api/v1/auth/logout-all'], ownStatus: [204, 200], foreign: false },
  'GET /api/v1/me': { perm: ANY, call: () => ['GET', '/api/v1/me'], ownStatus: [200], foreign: false },
  'POST /api/v1/me/password': { perm: ANY, call: () => ['POST', '/api/v1/me/password', { old_password: 'Wrong-pass-1', new_password: 'Another-pass-2026' }],
                                ownStatus: [400, 401, 403], foreign: false },
  'GET /api/v1/org-units': { perm: has('org.read'), call: (o) => ['GET', `/api/v1/org-units?parent_id=${o.unit}`], ownStatus: [200] },
  'GET /api/v1/org-units/{id}': { perm: has('org.read'), call: (o) => ['GET', `/api/v1/org-units/${o.sub}`], ownStatus: [200] },
  'POST /api/v1/org-units': { perm: has('org.manage'), call: (o, own) => ['POST', '/api/v1/org-units',
    { parent_id: o.sub, code: '440307999999', name: '矩阵测试', level: own ? 'bogus' : 'grid' }], ownStatus: [400] },
  'PATCH /api/v1/org-units/{id}': { perm: has('org.manage'), call: (o) => ['PATCH', `/api/v1/org-units/${o.sub}`, { name: '矩阵测试', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/org-units/{id}/move': { perm: has('org.manage'), call: (o) => ['POST', `/api/v1/org-units/${o.sub}/move`, { parent_id: o.unit, version: 999999 }], ownStatus: [400, 409] },
  'POST /api/v1/org-units/{id}/retire': { perm: has('org.manage'), call: (o) => ['POST', `/api/v1/org-units/${o.sub}/retire`, { version: 999999 }], ownStatus: [400, 409] },
  'POST /api/v1/org-units/import': { perm: has('org.manage'), raw: 'text/csv',
    call: (o, own, ctx) => ['POST', '/api/v1/org-units/import?dry_run=1', `code,name,level,parent_code\n${own ? 'bad' : '440399999001'},矩阵测试,community,${ctx.codeOf(o.sub)}\n`],
    ownStatus: [200, 400], foreignCheck: (r) => r.status === 404 || (r.status < 300 && (r.json?.rejected?.length ?? 0) === 1) || r.status === 400 },
  'POST /api/v1/org-units/import/preview': { perm: has('org.manage'), raw: 'text/csv',
    call: () => ['POST', '/api/v1/org-units/import/preview', '单位代码,单位名称\n440399999001,矩阵测试\n'], ownStatus: [200], foreign: false },
  'GET /api/v1/agencies': { perm: has('org.read'), call: (o) => ['GET', `/api/v1/agencies?org_unit_id=${o.unit}`], ownStatus: [200] },
  'POST /api/v1/agencies': { perm: has('org.manage'), call: (o, own) => ['POST', '/api/v1/agencies', { org_unit_id: o.sub, kind: own ? 'bogus' : 'station', name: '矩阵测试站' }], ownStatus: [400] },
  'GET /api/v1/agencies/{id}': { perm: has('org.read'), needs: 'agency', call: (o) => ['GET', `/api/v1/agencies/${o.agency}`], ownStatus: [200] },
  'PATCH /api/v1/agencies/{id}': { perm: has('org.manage'), needs: 'agency', call: (o) => ['PATCH', `/api/v1/agencies/${o.agency}`,
    { org_unit_id: o.unit, kind: 'station', name: '矩阵测试', version: 999999 }], ownStatus: [400, 409] },
  'POST /api/v1/agencies/{id}/retire': { perm: has('org.manage'), needs: 'agency', call: (o) => ['POST', `/api/v1/agencies/${o.agency}/retire`, { version: 999999 }], ownStatus: [409] },
  'GET /api/v1/roles': { perm: ANY, call: () => ['GET', '/api/v1/roles'], ownStatus: [200], foreign: false },
  'GET /api/v1/users': { perm: has('user.read'), call: (o) => ['GET', `/api/v1/users?org_unit_id=${o.sub}`], ownStatus: [200] },
  'GET /api/v1/users/{id}': { perm: has('user.read'), call: (o) => ['GET', `/api/v1/users/${o.user}`], ownStatus: [200] },
  'POST /api/v1/users': { perm: has('user.manage'), call: (o, own) => ['POST', '/api/v1/users',
    { username: own ? 'X' : uniq('mxnew'), display_name: '矩阵', role: 'grid_worker', org_unit_id: o.sub }], ownStatus: [400] },
  'PATCH /api/v1/users/{id}': { perm: has('user.manage'), call: (o) => ['PATCH', `/api/v1/users/${o.user}`, { display_name: '矩阵', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/users/{id}/reset-password': { perm: has('user.manage'), needs: 'manage', call: (o) => ['POST', `/api/v1/users/${o.manage}/reset-password`], ownStatus: [200] },
  'POST /api/v1/users/{id}/disable': { perm: has('user.manage'), needs: 'manage', call: (o) => ['POST', `/api/v1/users/${o.manage}/disable`], ownStatus: [200] },
  'POST /api/v1/users/{id}/enable': { perm: has('user.manage'), needs: 'manage', call: (o) => ['POST', `/api/v1/users/${o.manage}/enable`], ownStatus: [200] },
  'POST /api/v1/users/{id}/unlock': { perm: has('user.manage'), needs: 'manage', call: (o) => ['POST', `/api/v1/users/${o.manage}/unlock`], ownStatus: [200] },
  'GET /api/v1/audit': { perm: has('audit.read'), call: () => ['GET', '/api/v1/audit?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/audit/actions': { perm: has('audit.read'), call: () => ['GET', '/api/v1/audit/actions'], ownStatus: [200], foreign: false },
  'GET /api/v1/audit/verify': { perm: has('audit.read'), call: () => ['GET', '/api/v1/audit/verify'], ownStatus: [200], foreign: false },
  'POST /api/v1/children/import/preview': { perm: has('child.write'), raw: 'text/csv',
    call: () => ['POST', '/api/v1/children/import/preview?file_name=m.csv', '姓名,出生日期\n张三,2015-01-01\n'], ownStatus: [200], foreign: false },
  'POST /api/v1/children/import': { perm: has('child.write'), call: () => ['POST', '/api/v1/children/import', { upload_token: 'no-such-token', dry_run: true }],
                                     ownStatus: [400, 404], foreign: false },
  'GET /api/v1/children/import/template': { perm: has('child.write'), call: () => ['GET', '/api/v1/children/import/template'], ownStatus: [200], foreign: false },
  'GET /api/v1/children/export': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/children/export?format=csv&org_unit_id=${o.sub}`], ownStatus: [200] },
  'GET /api/v1/categories': { perm: ANY, call: () => ['GET', '/api/v1/categories'], ownStatus: [200], foreign: false },
  'GET /api/v1/children/duplicates': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/children/duplicates?id_number=${o.child.idNumber}`],
    ownStatus: [200], foreignCheck: (r, o) => r.status === 200 && !r.json.items.some((x) => x.id === o.child.id) },
  'GET /api/v1/children': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/children?org_unit_id=${o.sub}`], ownStatus: [200] },
  'GET /api/v1/children/{id}': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}`], ownStatus: [200] },
  'POST /api/v1/children': { perm: has('child.write'), call: (o, own) => ['POST', '/api/v1/children',
    { name: own ? '' : '矩阵测试', sex: 'male', birth_date: '2015-01-03', no_id_reason: '未落户', community_id: o.child.community }], ownStatus: [400] },
  'PATCH /api/v1/children/{id}': { perm: has('child.write'), call: (o) => ['PATCH', `/api/v1/children/${o.child.id}`, { notes: '矩阵', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/children/{id}/family': { perm: has('child.write'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/family`,
    { member: { relation: 'other', name: '矩阵' }, version: 999999 }], ownStatus: [409] },
  'PATCH /api/v1/children/{id}/family/{member_id}': { perm: has('child.write'), call: (o) => ['PATCH', `/api/v1/children/${o.child.id}/family/${o.child.member}`,
    { member: { name: '矩阵' }, version: 999999 }], ownStatus: [409] },
  'DELETE /api/v1/children/{id}/family/{member_id}': { perm: has('child.write'), call: (o) => ['DELETE', `/api/v1/children/${o.child.id}/family/${o.child.member}?version=999999`], ownStatus: [409] },
  'PUT /api/v1/children/{id}/guardian': { perm: has('child.write'), call: (o) => ['PUT', `/api/v1/children/${o.child.id}/guardian`,
    { guardian: { name: '矩阵', relation: 'grandmother' }, version: 999999 }], ownStatus: [409] },
  'POST /api/v1/children/{id}/reveal': { perm: has('child.reveal'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/reveal`,
    { target: 'child', field: 'id_number', purpose: '矩阵测试核对身份' }], ownStatus: [200] },
  'GET /api/v1/child-photos/{id}': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/child-photos/${o.child.id}`], ownStatus: [200] },
  'GET /api/v1/child-photos/{id}/info': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/child-photos/${o.child.id}/info`], ownStatus: [200] },
  'PUT /api/v1/child-photos/{id}': { perm: has('child.write'), raw: 'image/png', call: (o) => ['PUT', `/api/v1/child-photos/${o.child.id}?version=999999`, PNG], ownStatus: [409] },
  'DELETE /api/v1/child-photos/{id}': { perm: has('child.write'), call: (o) => ['DELETE', `/api/v1/child-photos/${o.child.id}?version=999999`], ownStatus: [409] },
  'GET /api/v1/children/{id}/history': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}/history`], ownStatus: [200] },
  'POST /api/v1/children/{id}/category-overrides': { perm: has('child.write'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/category-overrides`,
    { category: 'orphan', met: false, reason: '矩阵测试', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/children/{id}/roll-requests': { perm: has('roll.propose'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/roll-requests`,
    { kind: 'entry', category: 'de_facto_unsupported', reason: '矩阵测试' }], ownStatus: [409] },
  'GET /api/v1/roll-requests': { perm: has('child.read'), call: () => ['GET', '/api/v1/roll-requests?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/roll-requests/{id}': { perm: has('child.read'), call: (o) => ['GET', `/api/v1/roll-requests/${o.child.request}`], ownStatus: [200] },
  'POST /api/v1/roll-requests/{id}/review': { perm: has('roll.review'), call: (o) => ['POST', `/api/v1/roll-requests/${o.child.request}/review`, { note: '矩阵', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/roll-requests/{id}/confirm': { perm: has('roll.confirm'), call: (o) => ['POST', `/api/v1/roll-requests/${o.child.request}/confirm`, { note: '矩阵', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/roll-requests/{id}/return': { perm: has('roll.review', 'roll.confirm'), call: (o) => ['POST', `/api/v1/roll-requests/${o.child.request}/return`, { note: '矩阵测试退回', version: 999999 }],
    ownStatus: [403, 409] },  // only the holder of the request's current step may return it
  'POST /api/v1/screening/sources': { perm: has('screening.manage'), call: () => ['POST', '/api/v1/screening/sources', { name: '矩阵测试数据源' }], ownStatus: [201], foreign: false },
  'GET /api/v1/screening/sources': { perm: has('screening.manage', 'screening.verify'), call: () => ['GET', '/api/v1/screening/sources'], ownStatus: [200], foreign: false },
  'POST /api/v1/screening/batches': { perm: has('screening.manage'), raw: 'text/csv', call: (o, own) => ['POST',
    `/api/v1/screening/batches?source_id=${o.batch.source}&file_name=m.csv`, own ? '学校\n实验小学\n' : '人员姓名\n张三\n'], ownStatus: [400] },
  'GET /api/v1/screening/batches': { perm: has('screening.manage'), call: () => ['GET', '/api/v1/screening/batches?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/screening/stats/units': { perm: has('screening.manage', 'stats.read'), call: (o) => ['GET', `/api/v1/screening/stats/units?unit_id=${o.sub}`], ownStatus: [200] },
  'GET /api/v1/screening/batches/{id}': { perm: has('screening.manage'), call: (o) => ['GET', `/api/v1/screening/batches/${o.batch.batch}`], ownStatus: [200] },
  'GET /api/v1/screening/batches/{id}/findings': { perm: has('screening.manage'), call: (o) => ['GET', `/api/v1/screening/batches/${o.batch.batch}/findings`], ownStatus: [200] },
  'GET /api/v1/screening/tasks': { perm: has('screening.verify', 'screening.manage'), call: () => ['GET', '/api/v1/screening/tasks?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/screening/tasks/{id}': { perm: has('screening.verify', 'screening.manage'), needs: 'task', call: (o) => ['GET', `/api/v1/screening/tasks/${o.child.task}`], ownStatus: [200] },
  'POST /api/v1/screening/tasks/{id}/outcome': { perm: has('screening.verify'), needs: 'task', call: (o) => ['POST', `/api/v1/screening/tasks/${o.child.task}/outcome`,
    { outcome: 'rejected', note: '矩阵', version: 999999 }], ownStatus: [409] },
  // Issue 10: notifications are the caller's own (another user's id → 404); the 工作台 is the caller's jurisdiction.
  'GET /api/v1/notifications': { perm: ANY, call: () => ['GET', '/api/v1/notifications?page_size=50'], ownStatus: [200], foreign: false },
  'POST /api/v1/notifications/read-all': { perm: ANY, call: () => ['POST', '/api/v1/notifications/read-all'], ownStatus: [200], foreign: false },
  'POST /api/v1/notifications/{id}/read': { perm: ANY, call: (o, own, ctx, role) => ['POST',
    `/api/v1/notifications/${(own ? ctx.notes?.own : ctx.notes?.foreign)?.[role] ?? 999999999}/read`], ownStatus: [204] },
  'GET /api/v1/workbench': { perm: ANY, call: () => ['GET', '/api/v1/workbench'], ownStatus: [200], foreign: false },
  // 我的待办: every signed-in user has one (their unit + role's items); no object of a jurisdiction.
  'GET /api/v1/inbox': { perm: ANY, call: () => ['GET', '/api/v1/inbox?page_size=200'], ownStatus: [200], foreign: false },
  // 督办: overdue items under a unit the caller covers (another jurisdiction's unit → 404).
  'GET /api/v1/inbox/overdue': { perm: has('work.oversee'), call: (o) => ['GET', `/api/v1/inbox/overdue?unit_id=${o.sub}&page_size=200`], ownStatus: [200] },
  // One work item (the child's verification task's): its owner, a holder of the kind's act permission
  // (screening.verify) or a supervisor (work.oversee) in the jurisdiction reads it; others 403; elsewhere 404.
  'GET /api/v1/work-items/{id}': { perm: has('work.oversee', 'screening.verify'), needs: 'work',
    call: (o) => ['GET', `/api/v1/work-items/${o.child.work}`], ownStatus: [200] },
  // Extension decisions need work.oversee; the item has no pending request → 409 invalid_state (changes nothing).
  'POST /api/v1/work-items/{id}/actions': { perm: has('work.oversee'), needs: 'work',
    call: (o) => ['POST', `/api/v1/work-items/${o.child.work}/actions`, { action: 'reject_extension', note: '矩阵测试', version: 999999 }],
    ownStatus: [409] },
  // Issue 11, reports: the public page (no session; bodies that fail validation, unknown codes), the
  // staff routes (the object's report: its community's, or the caller's own for report.write alone),
  // the duty roster (a shift far ahead in each district), the child file's tab.
  'GET /api/v1/public/report-options': { perm: ANY, call: () => ['GET', '/api/v1/public/report-options'], ownStatus: [200], foreign: false, anonymous: 200 },
  'POST /api/v1/public/reports': { perm: ANY, call: () => ['POST', '/api/v1/public/reports', { description: '', place: '矩阵' }],
    ownStatus: [400], foreign: false, anonymous: 400 },
  'GET /api/v1/public/reports/{code}': { perm: ANY, call: () => ['GET', '/api/v1/public/reports/AAAA-BBBB-CCCC'], ownStatus: [404], foreign: false, anonymous: 404 },
  'POST /api/v1/public/reports/{code}/photos': { perm: ANY, raw: 'image/png', call: () => ['POST', '/api/v1/public/reports/AAAA-BBBB-CCCC/photos', PNG],
    ownStatus: [404], foreign: false, anonymous: 404 },
  'GET /api/v1/report-options': { perm: ANY, call: () => ['GET', '/api/v1/report-options'], ownStatus: [200], foreign: false },
  'POST /api/v1/reports': { perm: has('report.write', 'report.mandatory'), call: () => ['POST', '/api/v1/reports',
    { channel: 'mandatory', description: '', place: '矩阵' }], ownStatus: [400], foreign: false },
  'GET /api/v1/reports': { perm: has('report.read', 'report.write', 'report.triage', 'report.mandatory'),
    call: () => ['GET', '/api/v1/reports?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/reports/{id}': { perm: has('report.read', 'report.write', 'report.triage', 'report.mandatory'),
    call: (o) => ['GET', `/api/v1/reports/${o.report}`], ownStatus: [200] },
  'POST /api/v1/reports/{id}/reveal-reporter': { perm: has('report.reveal'), call: (o) => ['POST', `/api/v1/reports/${o.report}/reveal-reporter`,
    { purpose: '矩阵测试核实报告人' }], ownStatus: [200] },
  'POST /api/v1/reports/{id}/triage': { perm: has('report.triage'), call: (o) => ['POST', `/api/v1/reports/${o.report}/triage`,
    { version: 999999, urgency: '24h', category: 'other' }], ownStatus: [409] },
  'POST /api/v1/reports/{id}/close': { perm: has('report.triage'), call: (o) => ['POST', `/api/v1/reports/${o.report}/close`,
    { version: 999999, outcome: '矩阵测试' }], ownStatus: [409] },
  'POST /api/v1/reports/{id}/attachments': { perm: has('report.write', 'report.triage', 'report.mandatory'), raw: 'image/png',
    call: (o) => ['POST', `/api/v1/reports/${o.report}/attachments`, 'not an image'], ownStatus: [400] },
  'GET /api/v1/reports/{id}/attachments/{attachment_id}': { perm: has('report.read', 'report.write', 'report.triage', 'report.mandatory'),
    needs: 'attachment', call: (o) => ['GET', `/api/v1/reports/${o.report}/attachments/${o.attachment}`], ownStatus: [200] },
  // Issue 11, dispatch: orders are seen by the center, their receivers and readers of the report
  // (another street's or district's order → 404); writes go with a stale version or a bad file.
  'POST /api/v1/reports/{id}/dispatch': { perm: has('report.triage'), call: (o) => ['POST', `/api/v1/reports/${o.dreport}/dispatch`,
    { version: 999999, lead: { unit_id: 1 } }], ownStatus: [409] },
  'GET /api/v1/reports/{id}/timeline': { perm: has('report.triage', 'report.read', 'dispatch.handle'),
    call: (o) => ['GET', `/api/v1/reports/${o.dreport}/timeline`], ownStatus: [200] },
  'GET /api/v1/dispatch-orders': { perm: has('report.triage', 'report.read', 'dispatch.handle'),
    call: () => ['GET', '/api/v1/dispatch-orders?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/dispatch-orders/{id}': { perm: has('report.triage', 'report.read', 'dispatch.handle'),
    call: (o) => ['GET', `/api/v1/dispatch-orders/${o.order}`], ownStatus: [200] },
  'POST /api/v1/dispatch-orders/{id}/actions': { perm: has('report.triage', 'dispatch.handle'),
    call: (o) => ['POST', `/api/v1/dispatch-orders/${o.order}/actions`, { action: 'accept', version: 999999 }],
    ownStatus: [403, 409] },  // only the receiver may accept; the receiver's version is stale
  'GET /api/v1/children/{id}/dispatch-orders': { perm: has('report.triage', 'report.read', 'dispatch.handle'),
    call: (o) => ['GET', `/api/v1/children/${o.child.id}/dispatch-orders`], ownStatus: [200],
    foreignCheck: (r) => r.status === 404 || (r.status === 200 && r.json.items.length === 0) },
  'GET /api/v1/dispatch/stats': { perm: has('stats.read'), call: () => ['GET', '/api/v1/dispatch/stats?from=2025-01-01&to=2030-12-31&by=department'],
    ownStatus: [200], foreign: false },
  'GET /api/v1/dispatch/stats.xlsx': { perm: has('stats.read'), call: () => ['GET', '/api/v1/dispatch/stats.xlsx?from=2025-01-01&to=2030-12-31&by=street'],
    ownStatus: [200], foreign: false },
  'POST /api/v1/dispatch-attachments': { perm: has('dispatch.handle'), raw: 'image/png',
    call: (o) => ['POST', `/api/v1/dispatch-attachments?order_id=${o.dorder}&name=m.png`, 'not an image'], ownStatus: [400, 403, 409] },
  'GET /api/v1/dispatch-attachments/{id}': { perm: has('report.triage', 'report.read', 'dispatch.handle'), needs: 'dattachment',
    call: (o) => ['GET', `/api/v1/dispatch-attachments/${o.dattachment}?order_id=${o.dorder}`], ownStatus: [200] },
  // Issue 12, plans: every read needs case.read and the case (its child) in scope; writes are sent
  // stale or invalid after the scope check.
  'GET /api/v1/plan-config': { perm: ANY, call: () => ['GET', '/api/v1/plan-config'], ownStatus: [200], foreign: false },
  'GET /api/v1/cases/{id}/plans': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/cases/${o.kase}/plans`], ownStatus: [200] },
  'POST /api/v1/cases/{id}/plans': { perm: has('plan.write'), call: (o) => ['POST', `/api/v1/cases/${o.kase}/plans`, {}], ownStatus: [409] },
  'GET /api/v1/plans/{id}': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/plans/${o.plan}`], ownStatus: [200] },
  'PUT /api/v1/plans/{id}': { perm: has('plan.write'), call: (o) => ['PUT', `/api/v1/plans/${o.plan}`, { version: 999999 }], ownStatus: [409] },
  'POST /api/v1/plans/{id}/actions': { perm: has('plan.write'), call: (o) => ['POST', `/api/v1/plans/${o.plan}/actions`, { action: 'submit', version: 999999 }],
    ownStatus: [409] },
  'POST /api/v1/plans/{id}/tasks/{task}/done': { perm: has('plan.write'), call: (o) => ['POST', `/api/v1/plans/${o.plan}/tasks/${o.ptask}/done`, {}],
    ownStatus: [409] },
  'GET /api/v1/plans/{id}/document': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/plans/${o.plan}/document`], ownStatus: [200] },
  'GET /api/v1/plans/{id}/docx': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/plans/${o.plan}/docx`], ownStatus: [200] },
  'GET /api/v1/plan-approvals': { perm: has('plan.approve'), call: () => ['GET', '/api/v1/plan-approvals'], ownStatus: [200], foreign: false },
  'GET /api/v1/cases/{id}/services': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/cases/${o.kase}/services`], ownStatus: [200] },
  'POST /api/v1/cases/{id}/services': { perm: has('service.write'), call: (o) => ['POST', `/api/v1/cases/${o.kase}/services`,
    { served_on: '2099-01-01', service_type: 'home_visit', delivered_by: 'x', duration_min: 5, content: 'x' }], ownStatus: [400] },
  'GET /api/v1/service-records/{id}': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/service-records/${o.srecord}`], ownStatus: [200] },
  'POST /api/v1/service-attachments': { perm: has('service.write'), raw: 'image/png',
    call: (o) => ['POST', `/api/v1/service-attachments?record_id=${o.srecord}&name=m.png`, 'not an image'], ownStatus: [400] },
  'GET /api/v1/service-attachments/{id}': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/service-attachments/${o.sattach}?record_id=${o.srecord}`],
    ownStatus: [200] },
  'GET /api/v1/service-groups': { perm: has('case.read'), call: () => ['GET', '/api/v1/service-groups?page_size=200'], ownStatus: [200], foreign: false },
  'POST /api/v1/service-groups': { perm: has('service.write'), call: () => ['POST', '/api/v1/service-groups', { name: '', group_type: 'safety' }],
    ownStatus: [400], foreign: false },
  'GET /api/v1/service-groups/{id}': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/service-groups/${o.group}`], ownStatus: [200] },
  'POST /api/v1/service-groups/{id}/members': { perm: has('service.write'), call: (o) => ['POST', `/api/v1/service-groups/${o.group}/members`, { case_id: o.kase }],
    ownStatus: [409] },
  'DELETE /api/v1/service-groups/{id}/members/{case}': { perm: has('service.write'),
    call: (o) => ['DELETE', `/api/v1/service-groups/${o.group}/members/999999999`], ownStatus: [404] },
  'POST /api/v1/service-groups/{id}/sessions': { perm: has('service.write'), call: (o) => ['POST', `/api/v1/service-groups/${o.group}/sessions`,
    { held_on: '2099-01-01', topic: 'x', duration_min: 5 }], ownStatus: [400] },
  'POST /api/v1/service-groups/{id}/status': { perm: has('service.write'), call: (o) => ['POST', `/api/v1/service-groups/${o.group}/status`,
    { status: 'closed', version: 999999 }], ownStatus: [409] },
  // Issue 12, visits: the child's unit path scopes everything (another street or district → 404); writes
  // fail validation after the scope check (no `seen`; not an image), so the matrix records nothing.
  'GET /api/v1/visits/config': { perm: has('visit.read'), call: () => ['GET', '/api/v1/visits/config'], ownStatus: [200], foreign: false },
  'GET /api/v1/visits/due': { perm: has('visit.read'), call: () => ['GET', '/api/v1/visits/due?page_size=200&within_days=366'], ownStatus: [200], foreign: false },
  'GET /api/v1/visits/stats': { perm: has('visit.read'), call: () => ['GET', '/api/v1/visits/stats'], ownStatus: [200], foreign: false },
  'GET /api/v1/children/{id}/visit-schedule': { perm: has('visit.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}/visit-schedule`], ownStatus: [200] },
  'GET /api/v1/children/{id}/visits': { perm: has('visit.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}/visits`], ownStatus: [200] },
  'POST /api/v1/children/{id}/visits': { perm: has('visit.write'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/visits`,
    { visited_on: '2026-01-01', place: 'home', child_state: 'good', home_state: 'good', guardian_care: 'good' }], ownStatus: [400] },
  'GET /api/v1/visits/{id}': { perm: has('visit.read'), call: (o) => ['GET', `/api/v1/visits/${o.visit}`], ownStatus: [200] },
  'POST /api/v1/visit-photos': { perm: has('visit.write'), raw: 'image/png',
    call: (o) => ['POST', `/api/v1/visit-photos?visit_id=${o.visit}`, 'not an image'], ownStatus: [400] },
  'GET /api/v1/visit-photos/{id}': { perm: has('visit.read'), call: (o) => ['GET', `/api/v1/visit-photos/${o.vphoto}`], ownStatus: [200] },
  // Issue 12, early warnings: the child's unit path scopes everything (another street or district → 404); writes
  // fail after the scope check (a stale version; a reason too short), so the matrix changes nothing.
  'GET /api/v1/warnings/rules': { perm: has('warning.read'), call: () => ['GET', '/api/v1/warnings/rules'], ownStatus: [200], foreign: false },
  'GET /api/v1/warnings/counts': { perm: has('warning.read'), call: () => ['GET', '/api/v1/warnings/counts'], ownStatus: [200], foreign: false },
  'GET /api/v1/warnings': { perm: has('warning.read'), call: () => ['GET', '/api/v1/warnings?page_size=200'], ownStatus: [200], foreign: false },
  'GET /api/v1/warnings/{id}': { perm: has('warning.read'), call: (o) => ['GET', `/api/v1/warnings/${o.warning}`], ownStatus: [200] },
  'POST /api/v1/warnings/{id}/handle': { perm: has('warning.handle'), call: (o) => ['POST', `/api/v1/warnings/${o.warning}/handle`,
    { outcome: 'handled', note: '矩阵测试', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/children/{id}/warnings': { perm: has('warning.handle'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/warnings`,
    { reason: 'x' }], ownStatus: [400] },
  // Issue 12, case conferences: readers of the convening street's subtree and the district; managers write (a stale
  // version or a wrong state: 409); a decision's assignee (the liaison) sees its decision; a reader who is not the
  // assignee nor a manager may not complete it (403).
  'GET /api/v1/conferences/config': { perm: () => true, call: () => ['GET', '/api/v1/conferences/config'], ownStatus: [200], foreign: false },
  'GET /api/v1/conferences': { perm: has('conference.read'), call: () => ['GET', '/api/v1/conferences?page_size=50'], ownStatus: [200], foreign: false },
  'POST /api/v1/conferences': { perm: has('conference.manage'), call: () => ['POST', '/api/v1/conferences',
    { child_id: 999999999, reason: 'red_grade', scheduled_at: '2026-12-20 15:00', place: '矩阵' }], ownStatus: [404], foreign: false },
  'GET /api/v1/conferences/{id}': { perm: has('conference.read'), needs: 'conf', call: (o) => ['GET', `/api/v1/conferences/${o.conf}`], ownStatus: [200] },
  'PUT /api/v1/conferences/{id}': { perm: has('conference.manage'), needs: 'conf', call: (o) => ['PUT', `/api/v1/conferences/${o.conf}`,
    { version: 999999, reason: 'red_grade', scheduled_at: '2026-12-20 15:00', place: '矩阵' }], ownStatus: [409] },
  'POST /api/v1/conferences/{id}/record': { perm: has('conference.manage'), needs: 'conf', call: (o) => ['POST', `/api/v1/conferences/${o.conf}/record`,
    { version: 999999, discussion: '矩阵' }], ownStatus: [409] },
  'POST /api/v1/conferences/{id}/amend': { perm: has('conference.manage'), needs: 'conf', call: (o) => ['POST', `/api/v1/conferences/${o.conf}/amend`,
    { version: 999999, discussion: '矩阵' }], ownStatus: [409] },
  'POST /api/v1/conferences/{id}/cancel': { perm: has('conference.manage'), needs: 'conf', call: (o) => ['POST', `/api/v1/conferences/${o.conf}/cancel`,
    { version: 999999, note: '矩阵' }], ownStatus: [409] },
  'POST /api/v1/conferences/{id}/close': { perm: has('conference.manage'), needs: 'conf', call: (o) => ['POST', `/api/v1/conferences/${o.conf}/close`,
    { version: 999999 }], ownStatus: [409] },
  'GET /api/v1/conferences/{id}/minutes.docx': { perm: has('conference.read'), needs: 'conf', call: (o) => ['GET', `/api/v1/conferences/${o.conf}/minutes.docx`], ownStatus: [200] },
  'GET /api/v1/children/{id}/conferences': { perm: has('conference.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}/conferences`], ownStatus: [200] },
  // The case page's 个案会商 section, scoped through the object's case (another street's or district's case → 404).
  'GET /api/v1/cases/{id}/conferences': { perm: has('conference.read'), call: (o) => ['GET', `/api/v1/cases/${o.kase}/conferences`], ownStatus: [200] },
  'GET /api/v1/conference-decisions': { perm: has('conference.task'), call: () => ['GET', '/api/v1/conference-decisions'], ownStatus: [200], foreign: false },
  'GET /api/v1/conference-decisions/{id}': { perm: has('conference.task', 'conference.read'), needs: 'conf',
    call: (o) => ['GET', `/api/v1/conference-decisions/${o.cdecision}`], ownStatus: [200] },
  'POST /api/v1/conference-decisions/{id}/complete': { perm: has('conference.task', 'conference.manage'), needs: 'conf',
    call: (o) => ['POST', `/api/v1/conference-decisions/${o.cdecision}/complete`, { version: 999999, note: '矩阵' }], ownStatus: [403, 409] },
  'POST /api/v1/conference-attachments': { perm: has('conference.manage'), needs: 'conf', raw: 'image/png',
    call: (o) => ['POST', `/api/v1/conference-attachments?conference_id=${o.conf}&name=m.png`, 'not an image'], ownStatus: [400] },
  'GET /api/v1/conference-attachments/{id}': { perm: has('conference.read'), needs: 'conf',
    call: (o) => ['GET', `/api/v1/conference-attachments/999999?conference_id=${o.conf}`], ownStatus: [404] },
  'GET /api/v1/children/{id}/reports': { perm: has('report.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}/reports`], ownStatus: [200] },
  'GET /api/v1/duty/shifts': { perm: has('duty.manage', 'report.triage', 'report.read'), call: () => ['GET', '/api/v1/duty/shifts'], ownStatus: [200], foreign: false },
  'POST /api/v1/duty/shifts': { perm: has('duty.manage'), call: (o, own, ctx) => ['POST', '/api/v1/duty/shifts',
    { user_id: ctx.me.district.id, starts_at: 2000, ends_at: 1000 }], ownStatus: [400], foreign: false },
  'DELETE /api/v1/duty/shifts/{id}': { perm: has('duty.manage'), call: (o) => ['DELETE', `/api/v1/duty/shifts/${o.shift}?version=999999`], ownStatus: [409] },
  'GET /api/v1/duty/now': { perm: has('duty.manage', 'report.triage', 'report.read'), call: () => ['GET', '/api/v1/duty/now'], ownStatus: [200], foreign: false },
  'GET /api/v1/duty/handovers': { perm: has('duty.manage', 'report.triage', 'report.read'), call: () => ['GET', '/api/v1/duty/handovers'], ownStatus: [200], foreign: false },
  'POST /api/v1/duty/handovers': { perm: has('duty.manage', 'report.triage', 'report.read'), call: () => ['POST', '/api/v1/duty/handovers', { note: '' }],
    ownStatus: [400], foreign: false },
  // Issue 12, cases: the object's child has an open case and a draft assessment; writes go with a
  // stale version, an unknown form or for a child that already has an open case.
  'GET /api/v1/cases': { perm: has('case.read'), call: () => ['GET', '/api/v1/cases?page_size=200'], ownStatus: [200], foreign: false },
  'POST /api/v1/cases': { perm: has('case.write'), call: (o) => ['POST', '/api/v1/cases', { child_id: o.child.id, source: 'roll' }], ownStatus: [409] },
  'GET /api/v1/cases/{id}': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/cases/${o.child.case}`], ownStatus: [200] },
  'POST /api/v1/cases/{id}/actions': { perm: has('case.write'), call: (o) => ['POST', `/api/v1/cases/${o.child.case}/actions`,
    { action: 'assess', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/cases/{id}/assign': { perm: has('case.assign'), call: (o) => ['POST', `/api/v1/cases/${o.child.case}/assign`,
    { worker_user_id: 1, version: 999999 }], ownStatus: [409] },
  // The assign-worker picker: the case in scope (404 in another jurisdiction), then case.assign.
  'GET /api/v1/cases/{id}/workers': { perm: has('case.assign'), call: (o) => ['GET', `/api/v1/cases/${o.child.case}/workers`], ownStatus: [200] },
  // Case statistics (casestats): counts of the caller's own subtree; the body-name check guards other jurisdictions.
  'GET /api/v1/case-stats': { perm: has('casestat.read'), call: () => ['GET', '/api/v1/case-stats?from=2025-01-01&to=2030-12-31'],
    ownStatus: [200], foreign: false },
  'GET /api/v1/case-stats.xlsx': { perm: has('casestat.read'), call: () => ['GET', '/api/v1/case-stats.xlsx?from=2025-01-01&to=2030-12-31'],
    ownStatus: [200], foreign: false },
  'GET /api/v1/assessment-forms': { perm: has('case.read'), call: () => ['GET', '/api/v1/assessment-forms'], ownStatus: [200], foreign: false },
  'GET /api/v1/assessment-forms/{code}': { perm: has('case.read'), call: () => ['GET', '/api/v1/assessment-forms/gd_risk'], ownStatus: [200], foreign: false },
  'GET /api/v1/children/{id}/assessments': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/children/${o.child.id}/assessments`], ownStatus: [200] },
  'POST /api/v1/assessments': { perm: has('case.write'), call: (o) => ['POST', '/api/v1/assessments', { child_id: o.child.id, form: 'no_such_form' }], ownStatus: [400] },
  'GET /api/v1/assessments/compare': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/assessments/compare?a=${o.child.assessment}&b=${o.child.assessment}`], ownStatus: [200] },
  'GET /api/v1/assessments/{id}': { perm: has('case.read'), call: (o) => ['GET', `/api/v1/assessments/${o.child.assessment}`], ownStatus: [200] },
  'PUT /api/v1/assessments/{id}': { perm: has('case.write'), call: (o) => ['PUT', `/api/v1/assessments/${o.child.assessment}`,
    { answers: {}, version: 999999 }], ownStatus: [409] },
  'POST /api/v1/assessments/{id}/complete': { perm: has('case.write'), call: (o) => ['POST', `/api/v1/assessments/${o.child.assessment}/complete`,
    { version: 999999 }], ownStatus: [409] },
  // Issue 12, guardianship interventions: guardianship.read / write / approve only (not the 儿童主任, the leader or
  // others); writes go with a stale version (409) or for a child with an open intervention (409).
  'GET /api/v1/guardianship/config': { perm: has('guardianship.read'), call: () => ['GET', '/api/v1/guardianship/config'], ownStatus: [200], foreign: false },
  'GET /api/v1/guardianship': { perm: has('guardianship.read'), call: () => ['GET', '/api/v1/guardianship?page_size=200'], ownStatus: [200], foreign: false },
  'POST /api/v1/guardianship': { perm: has('guardianship.write'), call: (o) => ['POST', '/api/v1/guardianship',
    { child_id: o.child.id, kind: 'temporary', grounds: ['a92_4'], reason: '矩阵' }], ownStatus: [409] },
  'GET /api/v1/guardianship/{id}': { perm: has('guardianship.read'), call: (o) => ['GET', `/api/v1/guardianship/${o.guard}`], ownStatus: [200] },
  'POST /api/v1/guardianship/{id}/decide': { perm: has('guardianship.approve'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/decide`,
    { action: 'approve', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/guardianship/{id}/place': { perm: has('guardianship.write'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/place`,
    { placement_kind: 'relatives', placement_name: '矩阵', placement_contact: '矩阵', placement_phone: '13900000000', placement_address: '矩阵', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/guardianship/{id}/checks': { perm: has('guardianship.write'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/checks`,
    { child_state: 'good', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/guardianship/{id}/return-assessment': { perm: has('guardianship.write'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/return-assessment`,
    { assessment_id: 1, version: 999999 }], ownStatus: [409] },
  'POST /api/v1/guardianship/{id}/return': { perm: has('guardianship.write'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/return`,
    { version: 999999 }], ownStatus: [409] },
  'POST /api/v1/guardianship/{id}/convert': { perm: has('guardianship.approve'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/convert`,
    { grounds: ['a94_1'], note: '矩阵', version: 999999 }], ownStatus: [409] },
  'POST /api/v1/guardianship/{id}/end': { perm: has('guardianship.approve'), call: (o) => ['POST', `/api/v1/guardianship/${o.guard}/end`,
    { end_kind: 'adopted', note: '矩阵', version: 999999 }], ownStatus: [409] },
  // The placement's phone (masked everywhere): the registry's reveal, target placement, ref_id the object's intervention;
  // the target's permission guardianship.write (not child.reveal: the 儿童主任 gets 403), the child and the intervention in
  // scope (404). A variant of the reveal route (`#placement`); the test after the matrix checks its audit entries.
  'POST /api/v1/children/{id}/reveal#placement': { perm: has('guardianship.write'), call: (o) => ['POST', `/api/v1/children/${o.child.id}/reveal`,
    { target: 'placement', ref_id: o.guard, field: 'phone', purpose: PLACEMENT_PURPOSE }], ownStatus: [200],
    ownCheck: (r) => r.json?.value === PLACEMENT_PHONE },
  'POST /api/v1/guardianship/children/{id}/check-done': { perm: has('guardianship.write'), call: (o) => ['POST', `/api/v1/guardianship/children/${o.child.id}/check-done`,
    { note: '矩阵核查' }], ownStatus: [204, 409] },  // 409 invalid_state: no guardianship_check open for the child
};

// Which object a route needs present ("needs"): some roles have no such object in their own
// jurisdiction (a 儿童主任 has no agency; a grid worker's tasks sit at the community).
function present(kase, o) {
  if (kase.needs === 'agency') return o.agency != null;
  if (kase.needs === 'manage') return o.manage != null;
  if (kase.needs === 'task') return o.child.task != null;
  if (kase.needs === 'work') return o.child.work != null;
  if (kase.needs === 'dattachment') return o.dattachment != null;
  if (kase.needs === 'attachment') return o.attachment != null;
  if (kase.needs === 'conf') return o.conf != null;
  return true;
}

async function send(client, kase, spec) {
  const [method, p, body] = spec;
  if (kase.raw && body !== undefined) return client.request(method, p, { body, raw: true, headers: { 'Content-Type': kase.raw } });
  return client.request(method, p, body === undefined ? {} : { body });
}

function leaks(text, markers) {
  return markers.filter((m) => m && text.includes(m));
}

let ctx;
test('set up own and foreign objects in two streets and two districts', { timeout: 600000 }, async () => {
  ctx = await setUp();
  const codes = new Map();
  ctx.codeOf = (id) => codes.get(id);
  for (const r of ['district']) {
    for (const u of (await ctx.c[r].get('/api/v1/org-units?q=' + encodeURIComponent('社区') + '&page_size=200')).json.items) codes.set(u.id, u.code);
  }
  for (const u of (await ctx.city.get('/api/v1/org-units?q=' + encodeURIComponent('民治') + '&page_size=200')).json.items) codes.set(u.id, u.code);
  for (const r of ROLES) codes.set(ctx.me[r].org_unit.id, ctx.me[r].org_unit.code);
  codes.set(ctx.units.bantian.id, (await ctx.c.district.get(`/api/v1/org-units/${ctx.units.bantian.id}`)).json.code);
  // A notification of each role's own account (`tonghu demo` writes some for every demo account) and
  // one of another account.
  ctx.notes = { own: {}, foreign: {} };
  for (const r of ROLES) {
    const items = (await ctx.c[r].get('/api/v1/notifications?page_size=1')).json.items;
    assert.ok(items.length > 0, `${r} has a demo notification`);
    ctx.notes.own[r] = items[0].id;
  }
  ROLES.forEach((r, i) => { ctx.notes.foreign[r] = ctx.notes.own[ROLES[(i + 1) % ROLES.length]]; });
});

test('every route of the server has its matrix cases, and every case a route', () => {
  const routes = tonghu(['routes']).trim().split('\n').map((l) => l.trim()).filter(Boolean);
  assert.ok(routes.length > 50, routes.join('\n'));
  const missing = routes.filter((r) => !CASES[r]);
  assert.deepEqual(missing, [], `routes without matrix cases (add them to tests/api/matrix.test.mjs):\n${missing.join('\n')}`);
  // A key `<route>#<variant>` is another set of cases of the same route (e.g. the reveal of a placement's phone).
  const stale = Object.keys(CASES).filter((k) => !routes.includes(k.split('#')[0]));
  assert.deepEqual(stale, [], `matrix cases for routes that no longer exist:\n${stale.join('\n')}`);
});

test('every route × every role × own and another jurisdiction', { timeout: 900000 }, async () => {
  assert.ok(ctx, 'set-up ran');
  const failures = [];
  let calls = 0;
  const keys = Object.keys(CASES).sort((a, b) => (CASES[a].fresh ? 1 : 0) - (CASES[b].fresh ? 1 : 0));
  for (const key of keys) {
    const kase = CASES[key];
    for (const role of ROLES) {
      const perms = new Set(ctx.me[role].permissions);
      const allowed = kase.perm(perms);
      const client = kase.fresh ? await loginAs(role) : ctx.c[role];
      const ownObj = ctx.own[role];
      // Own jurisdiction (or no object at all).
      if (present(kase, ownObj)) {
        const r = await send(client, kase, kase.call(ownObj, true, ctx, role));
        calls++;
        const want = allowed ? kase.ownStatus : [403];
        if (!want.includes(r.status)) failures.push(`${key} as ${role} (own): ${r.status}, want ${want.join('/')}: ${r.text.slice(0, 200)}`);
        else if (allowed && kase.ownCheck && !kase.ownCheck(r)) failures.push(`${key} as ${role} (own): wrong answer ${r.text.slice(0, 200)}`);
        const leaked = leaks(r.text, ctx.markers[role]);
        if (leaked.length) failures.push(`${key} as ${role} (own): body carries another jurisdiction's ${leaked.join(', ')}`);
      }
      if (kase.foreign === false || kase.fresh) continue;
      for (const fo of ctx.foreign[role]) {
        if (!present(kase, fo)) continue;
        const r = await send(client, kase, kase.call(fo, false, ctx, role));
        calls++;
        const good = !allowed ? [403, 404].includes(r.status)
          : kase.foreignCheck ? kase.foreignCheck(r, fo) : r.status === 404;
        if (!good) failures.push(`${key} as ${role} (foreign ${fo.child.name}): ${r.status}: ${r.text.slice(0, 200)}`);
        const leaked = leaks(r.text, ctx.markers[role]);
        if (leaked.length) failures.push(`${key} as ${role} (foreign): body carries ${leaked.join(', ')}`);
      }
    }
    // Without a session: 401, except the public routes.
    const anon = new Client();
    const spec = kase.call(ctx.own.district, true, ctx);
    const r = await send(anon, kase, spec);
    const want = kase.anonymous ?? 401;
    if (r.status !== want && !(kase.fresh && r.status === 401)) failures.push(`${key} without a session: ${r.status}, want ${want}`);
  }
  // logout-all ended every session of every role: the next tests log in again.
  for (const r of ROLES) ctx.c[r] = await loginAs(r);
  assert.deepEqual(failures, [], `${failures.length} of ${calls} calls wrong:\n${failures.join('\n')}`);
});

// The matrix's placement reveals: each one answered (a role with guardianship.write in the child's jurisdiction) left one
// child.reveal entry naming the field and the purpose, by that caller; the refused ones (another jurisdiction, no
// permission) left none.
test('the placement phone reveals of the matrix are audited, the refused ones are not', async () => {
  const { c, me, own, C1, C2 } = ctx;
  const perms = (r) => new Set(me[r].permissions);
  for (const child of [C1, C2]) {
    const g = ROLES.map((r) => own[r]).find((o) => o.child.id === child.id).guard;
    const entries = (await ok(await c.district.get(`/api/v1/audit?action=child.reveal&object_type=child&object_id=${child.id}&page_size=200`))).items
      .filter((a) => JSON.stringify(a).includes(`placement.${g}.phone`) && JSON.stringify(a).includes(PLACEMENT_PURPOSE));
    const expected = ROLES.filter((r) => own[r].child.id === child.id && perms(r).has('guardianship.write'));
    const who = entries.map((a) => a.actor_id).sort();
    assert.deepEqual(who, expected.map((r) => me[r].id).sort(),
      `child ${child.name}: ${entries.length} entries for ${expected.join(', ') || 'nobody'}: ${JSON.stringify(entries).slice(0, 400)}`);
    for (const a of entries) assert.ok(!JSON.stringify(a).includes(PLACEMENT_PHONE), 'the audit entry does not carry the number');
  }
});

test('every list answers 2xx for every role that may call it, and never shows another jurisdiction', async () => {
  const lists = [
    ['/api/v1/org-units', has('org.read')], ['/api/v1/org-units?q=' + encodeURIComponent('社区'), has('org.read')],
    ['/api/v1/agencies?page_size=200', has('org.read')], ['/api/v1/users?page_size=200', has('user.read')],
    ['/api/v1/audit?page_size=200', has('audit.read')], ['/api/v1/children?page_size=200', has('child.read')],
    ['/api/v1/children?q=' + encodeURIComponent('欧阳') + '&page_size=200', has('child.read')],
    ['/api/v1/children/export?format=csv', has('child.read')],
    ['/api/v1/roll-requests?page_size=200', has('child.read')], ['/api/v1/roll-requests?queue=mine', has('child.read')],
    ['/api/v1/roll-requests?queue=review', has('roll.review')], ['/api/v1/roll-requests?queue=confirm', has('roll.confirm')],
    ['/api/v1/screening/sources', has('screening.manage', 'screening.verify')],
    ['/api/v1/screening/batches?page_size=200', has('screening.manage')],
    ['/api/v1/screening/tasks?page_size=200', has('screening.verify', 'screening.manage')],
    ['/api/v1/screening/tasks?queue=overdue', has('screening.verify', 'screening.manage')],
    ['/api/v1/screening/stats/units', has('screening.manage', 'stats.read')],
    ['/api/v1/notifications?page_size=200', ANY], ['/api/v1/workbench', ANY],
    ['/api/v1/inbox?page_size=200', ANY], ['/api/v1/inbox/overdue?page_size=200', has('work.oversee')],
    ['/api/v1/visits/due?page_size=200&within_days=366', has('visit.read')], ['/api/v1/visits/due?overdue_days=1&page_size=200', has('visit.read')],
    ['/api/v1/reports?page_size=200', has('report.read', 'report.write', 'report.triage', 'report.mandatory')],
    ['/api/v1/reports?q=' + encodeURIComponent('矩阵') + '&page_size=200', has('report.read', 'report.write', 'report.triage', 'report.mandatory')],
    ['/api/v1/duty/shifts', has('duty.manage', 'report.triage', 'report.read')],
    ['/api/v1/dispatch-orders?page_size=200', has('report.triage', 'report.read', 'dispatch.handle')],
    ['/api/v1/dispatch-orders?status=open&page_size=200', has('report.triage', 'report.read', 'dispatch.handle')],
    ['/api/v1/duty/handovers?page_size=200', has('duty.manage', 'report.triage', 'report.read')],
    ['/api/v1/guardianship?page_size=200', has('guardianship.read')], ['/api/v1/guardianship?kind=temporary&open=1', has('guardianship.read')],
    ['/api/v1/cases?page_size=200', has('case.read')], ['/api/v1/cases?status=intake&page_size=200', has('case.read')],
    ['/api/v1/service-groups?page_size=200', has('case.read')], ['/api/v1/plan-approvals?page_size=200', has('plan.approve')],
    ['/api/v1/warnings?page_size=200', has('warning.read')], ['/api/v1/warnings?status=closed&page_size=200', has('warning.read')],
    ['/api/v1/warnings/counts', has('warning.read')],
  ];
  const failures = [];
  for (const role of ROLES) {
    const perms = new Set(ctx.me[role].permissions);
    for (const [p, perm] of lists) {
      const r = await ctx.c[role].get(p);
      if (perm(perms)) {
        if (r.status < 200 || r.status > 299) failures.push(`${p} as ${role}: ${r.status} ${r.text.slice(0, 200)}`);
      } else if (r.status !== 403) {
        failures.push(`${p} as ${role} without permission: ${r.status}`);
      }
      const leaked = leaks(r.text, ctx.markers[role]);
      if (leaked.length) failures.push(`${p} as ${role}: carries ${leaked.join(', ')}`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('paging fuzz: bad pages get 400 invalid_page, no page reaches another jurisdiction', async () => {
  const bad = ['0', '-1', 'abc', '1.5', '100001', '9223372036854775807', '9223371036854775809', '99999999999999999999', ''];
  const badSizes = ['0', '201', '-5', 'x', '9223372036854775807'];
  const lists = ['/api/v1/children?q=' + encodeURIComponent('王'), '/api/v1/children', '/api/v1/roll-requests', '/api/v1/users',
                 '/api/v1/audit', '/api/v1/screening/tasks', '/api/v1/screening/batches', '/api/v1/agencies',
                 '/api/v1/org-units?q=' + encodeURIComponent('社区'), '/api/v1/children/' + ctx.C1.id + '/history',
                 '/api/v1/notifications', '/api/v1/inbox', '/api/v1/inbox/overdue', '/api/v1/reports', '/api/v1/duty/handovers',
                 '/api/v1/warnings'];
  const failures = [];
  for (const role of ['director', 'leader', 'supervisor']) {
    const client = ctx.c[role];
    for (const base of lists) {
      const sep = base.includes('?') ? '&' : '?';
      const allowedProbe = await client.get(base);
      if (allowedProbe.status === 403) continue;
      for (const page of bad) {
        if (page === '') continue;
        const r = await client.get(`${base}${sep}page=${encodeURIComponent(page)}&page_size=200`);
        if (r.status !== 400 || r.json?.error?.code !== 'invalid_page') failures.push(`${base} page=${page} as ${role}: ${r.status} ${r.text.slice(0, 120)}`);
      }
      for (const size of badSizes) {
        const r = await client.get(`${base}${sep}page=1&page_size=${encodeURIComponent(size)}`);
        if (r.status !== 400 || r.json?.error?.code !== 'invalid_page_size') failures.push(`${base} page_size=${size} as ${role}: ${r.status}`);
      }
      for (const page of ['1', '2', '50', '100000']) {
        for (const sort of ['', '&sort=name', '&sort=-birth_date', '&sort=-updated_at']) {
          const r = await client.get(`${base}${sep}page=${page}&page_size=200${base.includes('/children') ? sort : ''}`);
          if (r.status !== 200) failures.push(`${base} page=${page} as ${role}: ${r.status}`);
          const leaked = leaks(r.text, ctx.markers[role]);
          if (leaked.length) failures.push(`${base} page=${page}${sort} as ${role}: carries ${leaked.join(', ')}`);
        }
      }
    }
    // The search's children are all the caller's: each one opens.
    const r = await client.get('/api/v1/children?q=' + encodeURIComponent('欧阳') + '&page_size=200');
    for (const item of r.json.items) {
      const one = await client.get(`/api/v1/children/${item.id}`);
      if (one.status !== 200) failures.push(`search as ${role} listed child ${item.id} that a read refuses (${one.status})`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('inbox: each role sees its own unit and role\'s work items only; overdue stays in the subtree', async () => {
  const items = async (role, p = '/api/v1/inbox?page_size=200') => {
    const r = await ctx.c[role].get(p);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  // The roll requests of C1 (布吉) and C2 (坂田) await their streets' review.
  const sup = await items('supervisor');
  const reviews = sup.items.filter((i) => i.subject.type === 'roll_request').map((i) => i.subject.id);
  assert.ok(reviews.includes(ctx.C1.request), JSON.stringify(sup.items.slice(0, 3)));
  assert.ok(!reviews.includes(ctx.C2.request));
  assert.ok(!reviews.includes(ctx.C3.request));
  for (const i of sup.items) assert.equal(i.unit.id, ctx.units.buji.id);
  assert.equal(sup.total, sup.counts.reduce((n, k) => n + k.count, 0));
  for (let k = 1; k < sup.items.length; k++) assert.ok(sup.items[k - 1].due_at <= sup.items[k].due_at, 'sorted by due_at');
  // The 儿童主任 sees C1's verification task, not C2's; director2 the other way round.
  const dir = await items('director');
  const tasks = dir.items.filter((i) => i.subject.type === 'verification_task').map((i) => i.subject.id);
  assert.ok(tasks.includes(ctx.C1.task) && !tasks.includes(ctx.C2.task) && !tasks.includes(ctx.C3.task));
  const dir2 = await items('director2');
  const tasks2 = dir2.items.filter((i) => i.subject.type === 'verification_task').map((i) => i.subject.id);
  assert.ok(tasks2.includes(ctx.C2.task) && !tasks2.includes(ctx.C1.task));
  const item = dir.items.find((i) => i.subject.type === 'verification_task' && i.subject.id === ctx.C1.task);
  assert.equal(item.link, `/screening/tasks/${ctx.C1.task}`);
  assert.match(item.due_at, /^\d{4}-\d{2}-\d{2}T23:59:59\+08:00$/);
  // Roles without oversight: 403 on the overdue view; the district sees only its subtree.
  assert.equal((await ctx.c.director.get('/api/v1/inbox/overdue')).status, 403);
  const over = await items('district', '/api/v1/inbox/overdue?page_size=200');
  for (const i of over.items) {
    assert.equal(i.overdue, true);
    assert.notEqual(i.unit.id, ctx.lhCommunity.id);
  }
  const bad = await ctx.c.district.get('/api/v1/inbox?kind=nope');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'kind');
});
