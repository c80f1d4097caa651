// Reports (发现报告, issue 11) over real HTTP: the public page (tracking code, status only, photos,
// bounded and validated bodies), the center's triage and close with the reply the reporter sees,
// mandatory reports by a school's reporter (police record, the reporter sees only the result),
// a sensitive hotline report (masked in lists and reads without a purpose), the reporter revealed only
// with a purpose, scope (another street → 404, a department → 403), the duty roster, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, PNG, loginAs, uniq } from './client.mjs';

const json = (r) => r.json;
async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

let district, supervisor, director, director2, liaison, school, hospital, grid;
test('log in', async () => {
  [district, supervisor, director, director2, liaison, school, hospital, grid] = await Promise.all(
    ['district', 'supervisor', 'director', 'director2', 'liaison', 'school', 'hospital', 'grid'].map((u) => loginAs(u)));
});

test('the public page: a report with a tracking code that shows only the status, photos, bad input', async () => {
  const anon = new Client();
  const options = await ok(await anon.get('/api/v1/public/report-options'));
  assert.equal(options.situations.length, 9);
  const marker = uniq('公园长椅');
  let r = await anon.post('/api/v1/public/reports', { description: `${marker}上有孩子独自过夜`, place: '布吉中心公园',
    situations: ['s6'], child_age: 8, contact_phone: '13912340000' });
  const made = await ok(r, 201);
  assert.match(made.tracking_code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  r = await anon.get(`/api/v1/public/reports/${made.tracking_code.toLowerCase()}`);
  assert.deepEqual(await ok(r), { status: 'received', status_name: '已受理' });
  assert.equal((await anon.get('/api/v1/public/reports/ZZZZ-ZZZZ-ZZZZ')).status, 404);
  // Photos: the declared type and the magic bytes, at most three.
  const photo = (body, type = 'image/png') => anon.request('POST', `/api/v1/public/reports/${made.tracking_code}/photos`,
    { body, raw: true, headers: { 'Content-Type': type } });
  assert.equal((await photo(PNG)).status, 201);
  assert.equal((await photo(Buffer.from('GIF89a0000'))).json.error.code, 'invalid_photo_type');
  assert.equal((await photo(PNG, 'image/gif')).status, 415);
  assert.equal((await photo(PNG)).status, 201);
  assert.equal((await photo(PNG)).status, 201);
  assert.equal((await photo(PNG)).json.error.code, 'too_many_photos');
  // Bad input: required fields, unknown fields, control characters, types, size, media type.
  const bad = async (body, code, field) => {
    const x = await anon.post('/api/v1/public/reports', body);
    assert.equal(x.status, 400, x.text);
    assert.equal(x.json.error.code, code, x.text);
    if (field) assert.equal(x.json.error.field, field);
  };
  await bad({ place: '公园' }, 'required', 'description');
  await bad({ description: '看到孩子' }, 'required', 'place');
  await bad({ description: '看到孩子', place: '公园', reporter_name: '张三' }, 'unknown_field', 'reporter_name');
  await bad({ description: '看到\u0000孩子', place: '公园' }, 'invalid_text', 'description');
  await bad({ description: '看到孩子', place: '公园\u202e' }, 'invalid_text', 'place');
  await bad({ description: '看到孩子', place: '公园', situations: 's1' }, 'invalid_type', 'situations');
  await bad({ description: '看到孩子', place: '公园', situations: ['s42'] }, 'invalid_enum', 'situations');
  await bad({ description: '看到孩子', place: '公园', child_age: 40 }, 'out_of_range', 'child_age');
  await bad({ description: '看到孩子', place: '公园', contact_phone: '12' }, 'invalid_phone', 'contact_phone');
  await bad({ description: '看到孩子', place: '公园', seen_at: '2099-01-01' }, 'invalid_datetime', 'seen_at');
  await bad({ description: 'x'.repeat(2001), place: '公园' }, 'too_long', 'description');
  const big = await anon.post('/api/v1/public/reports', { description: '孩'.repeat(6000), place: '公园' });
  assert.equal(big.status, 413, big.text);
  const form = await anon.request('POST', '/api/v1/public/reports', { body: 'description=x&place=y', raw: true,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 415);
  // The center finds it; the reporter is masked until revealed with a purpose.
  const list = await ok(await district.get('/api/v1/reports?channel=public&q=' + encodeURIComponent(marker)));
  assert.equal(list.total, 1);
  const item = list.items[0];
  assert.deepEqual(item.reporter, { masked: true });
  assert.ok(!JSON.stringify(item).includes('13912340000'));
  const detail = await ok(await district.get(`/api/v1/reports/${item.id}`));
  assert.equal(detail.attachments.length, 3);
  const img = await district.get(`/api/v1/reports/${item.id}/attachments/${detail.attachments[0].id}`);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal((await supervisor.post(`/api/v1/reports/${item.id}/reveal-reporter`, { purpose: '核实' })).status, 403);
  assert.equal((await district.post(`/api/v1/reports/${item.id}/reveal-reporter`, {})).json.error.code, 'purpose_required');
  const who = await ok(await district.post(`/api/v1/reports/${item.id}/reveal-reporter`, { purpose: '回访报告人核实' }));
  assert.equal(who.phone, '13912340000');
  // Triage to 布吉街道, close with a reply; the tracking code follows.
  const sup = (await supervisor.get('/api/v1/me')).json.org_unit;
  assert.equal((await district.post(`/api/v1/reports/${item.id}/triage`, { version: detail.version + 1, urgency: '24h', category: 'guardianship' })).status, 409);
  assert.equal((await district.post(`/api/v1/reports/${item.id}/triage`, { version: detail.version, urgency: 'now', category: 'guardianship' })).json.error.field, 'urgency');
  assert.equal((await district.post(`/api/v1/reports/${item.id}/triage`, { version: detail.version, urgency: '24h', category: 'guardianship', extra: 1 })).json.error.code, 'unknown_field');
  const t = await ok(await district.post(`/api/v1/reports/${item.id}/triage`,
    { version: detail.version, urgency: '24h', category: 'guardianship', unit_id: sup.id, note: '街道核实' }));
  assert.equal(t.status, 'triaged');
  assert.equal(t.unit.id, sup.id);
  assert.deepEqual(await ok(await anon.get(`/api/v1/public/reports/${made.tracking_code}`)), { status: 'triaged', status_name: '已受理' });
  assert.equal((await supervisor.get(`/api/v1/reports/${item.id}`)).status, 200);  // now the street's
  assert.equal((await director2.get(`/api/v1/reports/${item.id}`)).status, 404);
  const c = await ok(await district.post(`/api/v1/reports/${item.id}/close`, { version: t.version, outcome: '已联系家长落实照料', reply_to_reporter: '已处理，谢谢' }));
  assert.equal(c.status, 'closed');
  const closed = await ok(await anon.get(`/api/v1/public/reports/${made.tracking_code}`));
  assert.deepEqual(Object.keys(closed).sort(), ['status', 'status_name']);
  assert.equal(closed.status_name, '已办结');
  assert.equal((await district.post(`/api/v1/reports/${item.id}/close`, { version: c.version, outcome: '再次' })).json.error.code, 'invalid_state');
});

test('a mandatory report by a school: the police record first, the reporter sees only the result', async () => {
  const body = { channel: 'mandatory', description: '学生身上多处淤青，自述被家长殴打', place: '布吉某小学', situations: ['s4'],
    child_name: uniq('学生'), child_age: 10, told: { education: true } };
  let r = await school.post('/api/v1/reports', body);
  assert.equal(r.json.error.code, 'police_record_required', r.text);
  assert.equal((await school.post('/api/v1/reports', { ...body, police: { reported: true, unknown: 1 } })).json.error.code, 'unknown_field');
  assert.equal((await school.post('/api/v1/reports', { ...body, channel: 'hotline' })).status, 403);
  const police = { reported: true, station: '布吉派出所', reported_at: '2026-12-01 09:30', receipt_no: 'JJ-001' };
  const m = await ok(await school.post('/api/v1/reports', { ...body, police }), 201);
  assert.equal(m.reporter_only, true);
  assert.equal(m.police.station, '布吉派出所');
  assert.equal(m.told.education, true);
  // Only the school's own reports; the hospital's reporter cannot see it.
  const mine = await ok(await school.get('/api/v1/reports?page_size=200'));
  assert.ok(mine.items.some((x) => x.id === m.id));
  assert.ok(mine.items.every((x) => x.channel === 'mandatory' && x.reporter_only));
  assert.equal((await hospital.get(`/api/v1/reports/${m.id}`)).status, 404);
  assert.equal((await liaison.get(`/api/v1/reports/${m.id}`)).status, 403);
  assert.equal((await liaison.get('/api/v1/reports')).status, 403);
  // The center triages (sensitive: s4), closes; the reporter gets the reply, never the center's notes.
  const d = await ok(await district.get(`/api/v1/reports/${m.id}?purpose=${encodeURIComponent('研判')}`));
  assert.equal(d.sensitive, true);
  assert.equal(d.masked, false);
  const t = await ok(await district.post(`/api/v1/reports/${m.id}/triage`, { version: d.version, urgency: 'immediate', category: 'abuse', note: '内部研判：疑似家暴' }));
  let seen = await ok(await school.get(`/api/v1/reports/${m.id}`));
  assert.equal(seen.status_name, '已受理');
  assert.equal(seen.result, null);
  assert.ok(!JSON.stringify(seen).includes('内部研判'));
  await ok(await district.post(`/api/v1/reports/${m.id}/close`, { version: t.version, outcome: '公安已立案', reply_to_reporter: '公安机关已依法处理，感谢您的报告' }));
  seen = await ok(await school.get(`/api/v1/reports/${m.id}`));
  assert.equal(seen.status, 'closed');
  assert.equal(seen.result, '公安机关已依法处理，感谢您的报告');
  assert.equal(seen.outcome, undefined);
  assert.equal(seen.category, undefined);
});

test('a sensitive hotline report is masked in lists and without a purpose; the duty officer is alerted', async () => {
  const marker = uniq('热线');
  const me = (await district.get('/api/v1/me')).json;
  const before = (await district.get('/api/v1/notifications?page_size=1')).json.total;
  const h = await ok(await district.post('/api/v1/reports', { channel: 'hotline', description: `${marker} 邻居女孩疑似被性侵`, place: '某小区',
    situations: ['s2'], anonymous: true, reporter_phone: '13800000000' }), 201);
  assert.equal(h.sensitive, true);
  assert.ok(h.tracking_code);
  const list = await ok(await district.get('/api/v1/reports?channel=hotline&page_size=200'));
  const row = list.items.find((x) => x.id === h.id);
  assert.equal(row.masked, true);
  assert.equal(row.description, null);
  assert.ok(!list.items.some((x) => JSON.stringify(x).includes(marker)));
  assert.equal((await ok(await district.get(`/api/v1/reports/${h.id}`))).description, null);
  assert.ok((await ok(await district.get(`/api/v1/reports/${h.id}?purpose=${encodeURIComponent('研判')}`))).description.includes(marker));
  assert.equal((await district.get(`/api/v1/reports/${h.id}?purpose=x`)).json.error.code, 'purpose_required');
  assert.equal((await supervisor.get(`/api/v1/reports/${h.id}`)).status, 404);  // at the district until triaged
  const anon = await ok(await district.post(`/api/v1/reports/${h.id}/reveal-reporter`, { purpose: '核实' }));
  assert.equal(anon.anonymous, true);
  assert.equal(anon.phone, null);
  // The demo roster has the district officer on duty: an urgent situation notifies at once.
  const now = await ok(await district.get('/api/v1/duty/now'));
  assert.ok(now.items.some((s) => s.user.id === me.id), JSON.stringify(now));
  const after = (await district.get('/api/v1/notifications?page_size=1')).json.total;
  assert.equal(after, before + 1);
  // Reads are audited.
  const audit = await ok(await district.get(`/api/v1/audit?object_type=report&object_id=${h.id}&page_size=50`));
  const actions = audit.items.map((e) => e.action);
  for (const a of ['report.create', 'report.read', 'report.reveal_reporter']) assert.ok(actions.includes(a), actions.join(','));
});

test('field reports, scope and the child file tab; the duty roster', async () => {
  const f = await ok(await director.post('/api/v1/reports', { channel: 'field', description: '走访发现孩子辍学在家', place: '幸福巷' }), 201);
  assert.equal((await director2.get(`/api/v1/reports/${f.id}`)).status, 404);
  assert.equal((await supervisor.get(`/api/v1/reports/${f.id}`)).status, 200);
  assert.equal((await director2.post(`/api/v1/reports/${f.id}/attachments`, {})).status, 404);  // another street's report
  const g = await ok(await grid.post('/api/v1/reports', { channel: 'field', description: '网格巡查发现乞讨儿童', place: '地铁口', situations: ['s8'] }), 201);
  assert.equal((await grid.get(`/api/v1/reports/${f.id}`)).status, 404);
  assert.equal((await ok(await grid.get(`/api/v1/reports/${g.id}`))).reporter_only, true);
  const gl = await ok(await grid.get('/api/v1/reports?page_size=200'));
  assert.ok(gl.items.every((x) => x.mine));
  // Bad input on the staff form.
  const bad = await director.post('/api/v1/reports', { channel: 'field', description: '看到', place: '公园', told: { police: true } });
  assert.equal(bad.json.error.code, 'unknown_field');
  assert.equal((await director.post('/api/v1/reports', { channel: 'sms', description: '看到孩子', place: '公园' })).json.error.field, 'channel');
  assert.equal((await director.post('/api/v1/reports', { channel: 'field', description: '看到孩子', place: '公园', anonymous: 'yes' })).json.error.field, 'anonymous');
  assert.equal((await director.post('/api/v1/reports', { channel: 'field', description: '看到孩子', place: '公园', child_id: 999999999 })).status, 404);
  // The roster: shifts of the center's own staff.
  const me = (await district.get('/api/v1/me')).json;
  const start = Date.now() + 40 * 86400000;
  const s = await ok(await district.post('/api/v1/duty/shifts', { user_id: me.id, starts_at: start, ends_at: start + 8 * 3600000, note: '夜班' }), 201);
  const supId = (await supervisor.get('/api/v1/me')).json.id;
  assert.equal((await district.post('/api/v1/duty/shifts', { user_id: supId, starts_at: start, ends_at: start + 3600000 })).status, 404);
  assert.equal((await supervisor.post('/api/v1/duty/shifts', { user_id: me.id, starts_at: start, ends_at: start + 3600000 })).status, 403);
  const listed = await ok(await district.get(`/api/v1/duty/shifts?from=${start - 1}&to=${start + 86400000}`));
  assert.ok(listed.items.some((x) => x.id === s.id));
  assert.equal((await district.request('DELETE', `/api/v1/duty/shifts/${s.id}?version=${s.version + 1}`)).status, 409);
  assert.equal((await district.request('DELETE', `/api/v1/duty/shifts/${s.id}?version=${s.version}`)).status, 204);
  const ho = await ok(await district.post('/api/v1/duty/handovers', { note: '交接：夜间热线1起已登记' }), 201);
  const hl = await ok(await district.get('/api/v1/duty/handovers'));
  assert.equal(hl.items[0].id, ho.id);
});

test('a screening finding escalated into a report: the finding\'s community, the 儿童主任 as the reporter', async () => {
  const community = (await director.get('/api/v1/me')).json.org_unit;
  const src = await ok(await district.post('/api/v1/screening/sources', { name: uniq('排查转报告'), dept_type: 'education',
    mapping: { name: '人员姓名', birth_date: '出生日期', community: '所在社区' } }), 201);
  const name = uniq('未建档');
  const csv = `人员姓名,出生日期,所在社区\r\n${name},2014-05-06,${community.code}\r\n`;
  const up = await ok(await district.request('POST', `/api/v1/screening/batches?source_id=${src.id}&file_name=esc.csv`,
    { body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } }), 202);
  let batch;
  for (let i = 0; i < 300; i++) {
    batch = (await district.get(`/api/v1/screening/batches/${up.id}`)).json;
    if (batch.status === 'done' || batch.status === 'failed') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(batch.status, 'done', JSON.stringify(batch));
  const findings = await ok(await district.get(`/api/v1/screening/batches/${up.id}/findings`));
  assert.equal(findings.items.length, 1, JSON.stringify(findings));
  const finding = findings.items[0];
  const body = { channel: 'screening', description: `排查发现 ${name} 未建档，家访见无人照料`, place: '社区', finding_id: finding.id };
  assert.equal((await director2.post('/api/v1/reports', body)).status, 404);  // another street's finding
  assert.equal((await director.post('/api/v1/reports', { ...body, channel: 'field' })).json.error.code, 'finding_needs_screening');
  const r = await ok(await director.post('/api/v1/reports', body), 201);
  assert.equal(r.channel, 'screening');
  assert.equal(r.finding_id, finding.id);
  assert.equal(r.unit.id, community.id);
  const who = await ok(await district.post(`/api/v1/reports/${r.id}/reveal-reporter`, { purpose: '核实报告来源' }));
  assert.equal(who.user_id, (await director.get('/api/v1/me')).json.id);
});
