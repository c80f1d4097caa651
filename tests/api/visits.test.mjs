// Visits by risk (走访) over real HTTP: a child confirmed onto the roll gets a visit schedule (the
// registry's roll listener), the director records a visit (validation, then the record; the schedule's
// next due date moves), a photo (type checked, sealed, read back), the history, the due list with its
// filters and scope, the demo's overdue visits as work items in the director's 待办, statistics, and who
// may do what (403 / 404).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, PNG, loginAs, makeId, randomBirth } from './client.mjs';

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);
const VISIT = () => ({ visited_on: today(), seen: ['child', 'guardian'], place: 'home', child_state: 'good', home_state: 'fair',
                       guardian_care: 'good', needs: ['education'], needs_note: '需要课业辅导', follow_ups: '联系学校' });

async function childOnRoll(director) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const file = await ok(await director.post('/api/v1/children', {
    name: '欧阳走访', sex: 'male', birth_date: birth, id_number: makeId(birth, true), community_id: me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    family: [{ relation: 'father', name: '欧阳建国', state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36 },
             { relation: 'mother', name: '林秀梅', state: 'missing', state_since: '2024-02-01' }],
    guardian: { name: '欧阳奶奶', relation: 'grandmother', phone: '13800001111' },
  }), 201);
  const req = await ok(await director.post(`/api/v1/children/${file.id}/roll-requests`,
    { kind: 'entry', category: 'de_facto_unsupported', reason: '父亲服刑、母亲失联' }), 201);
  const sup = await loginAs('supervisor');
  await ok(await sup.post(`/api/v1/roll-requests/${req.id}/review`, { note: '同意', version: 1 }));
  // Before the confirmation the child has no schedule.
  assert.equal((await ok(await director.get(`/api/v1/children/${file.id}/visit-schedule`))).schedule, null);
  const district = await loginAs('district');
  await ok(await district.post(`/api/v1/roll-requests/${req.id}/confirm`, { note: '同意', version: 2 }));
  return file;
}

test('the roll plans a schedule; a visit moves it; photos and history', async () => {
  const director = await loginAs('director');
  const file = await childOnRoll(director);
  let s = (await ok(await director.get(`/api/v1/children/${file.id}/visit-schedule`))).schedule;
  assert.ok(s, 'a schedule once on the roll');
  assert.equal(s.grade, '');
  assert.equal(s.rule, 'category:de_facto_unsupported');
  assert.equal(s.interval_days, 30);
  assert.equal(s.next_due_on, addDays(today(), 15));  // the first visit within first_visit_days
  // Validation (zh-CN messages naming the field), after the scope check.
  let r = await director.post(`/api/v1/children/${file.id}/visits`, { ...VISIT(), seen: [] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'seen');
  r = await director.post(`/api/v1/children/${file.id}/visits`, { ...VISIT(), visited_on: addDays(today(), 1) });
  assert.equal(r.json.error.code, 'out_of_range');
  r = await director.post(`/api/v1/children/${file.id}/visits`, { ...VISIT(), child_state: 'great' });
  assert.equal(r.json.error.code, 'invalid_enum');
  r = await director.post(`/api/v1/children/${file.id}/visits`, { ...VISIT(), mood: 'x' });
  assert.equal(r.json.error.code, 'unknown_field');
  const director2 = await loginAs('director2');
  assert.equal((await director2.post(`/api/v1/children/${file.id}/visits`, VISIT())).status, 404);
  assert.equal((await (await loginAs('leader')).post(`/api/v1/children/${file.id}/visits`, VISIT())).status, 403);
  const v = await ok(await director.post(`/api/v1/children/${file.id}/visits`, VISIT()), 201);
  assert.deepEqual(v.seen, ['child', 'guardian']);
  assert.equal(v.on_time, true);
  assert.equal(v.visitor.name, '王秀英');
  s = (await ok(await director.get(`/api/v1/children/${file.id}/visit-schedule`))).schedule;
  assert.equal(s.last_visit_on, today());
  assert.equal(s.next_due_on, addDays(today(), 30));
  // Photos: the type from the bytes, not the header.
  r = await director.request('POST', `/api/v1/visit-photos?visit_id=${v.id}`, { body: 'GIF89a not a photo', raw: true, headers: { 'Content-Type': 'image/png' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_photo_type');
  const p = await ok(await director.request('POST', `/api/v1/visit-photos?visit_id=${v.id}`, { body: PNG, raw: true, headers: { 'Content-Type': 'image/png' } }), 201);
  assert.equal(p.content_type, 'image/png');
  const got = await director.request('GET', p.url);
  assert.equal(got.status, 200);
  assert.equal((await director2.get(p.url)).status, 404);
  // History: the visit with its photo; another community's director sees nothing.
  const h = await ok(await director.get(`/api/v1/children/${file.id}/visits`));
  assert.equal(h.total, 1);
  assert.equal(h.items[0].photos.length, 1);
  assert.equal(h.items[0].needs_note, '需要课业辅导');
  assert.equal((await director2.get(`/api/v1/children/${file.id}/visits`)).status, 404);
  assert.equal((await director2.get(`/api/v1/visits/${v.id}`)).status, 404);
  assert.equal((await ok(await (await loginAs('supervisor')).get(`/api/v1/visits/${v.id}`))).id, v.id);
  // Reads and changes are audited.
  const audit = await ok(await (await loginAs('district')).get('/api/v1/audit?page_size=200&object_type=visit'));
  const actions = new Set(audit.items.map((a) => a.action));
  for (const a of ['visit.create', 'visit.photo_add']) assert.ok(actions.has(a), `audit has ${a}: ${[...actions]}`);
});

test('the due list: overdue demo visits in scope, filters, and their work items', async () => {
  const director = await loginAs('director');
  const due = await ok(await director.get('/api/v1/visits/due?overdue_days=1&page_size=100'));
  assert.ok(due.total > 0, 'the demo has overdue visits in the director\'s community');
  for (const row of due.items) {
    assert.ok(row.overdue && row.overdue_days >= 1, JSON.stringify(row));
    assert.ok(row.child_name);
  }
  const sorted = due.items.map((x) => x.next_due_on);
  assert.deepEqual(sorted, [...sorted].sort());
  const red = await ok(await director.get('/api/v1/visits/due?grade=red&within_days=366&page_size=100'));
  for (const row of red.items) assert.equal(row.grade, 'red');
  let r = await director.get('/api/v1/visits/due?grade=purple');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_enum');
  r = await director.get('/api/v1/visits/due?page_size=100000');
  assert.equal(r.status, 400);
  // The other community sees none of this community's children.
  const director2 = await loginAs('director2');
  const other = await ok(await director2.get('/api/v1/visits/due?within_days=366&page_size=200'));
  const mine = new Set(due.items.map((x) => x.child_id));
  assert.equal(other.items.filter((x) => mine.has(x.child_id)).length, 0);
  // The district sees at least as many.
  const district = await loginAs('district');
  assert.ok((await ok(await district.get('/api/v1/visits/due?overdue_days=1'))).total >= due.total);
  // Overdue visits are work items in the director's 待办, linking to the record page.
  const inbox = await ok(await director.get('/api/v1/inbox?kind=visit_due&page_size=100'));
  assert.ok(inbox.items.length > 0, 'visit_due items in the inbox');
  assert.ok(inbox.items.every((i) => i.link.startsWith('/visits/record/')), JSON.stringify(inbox.items[0]));
  // Who may not: a department liaison and a mandatory reporter have no visit.read.
  assert.equal((await (await loginAs('liaison')).get('/api/v1/visits/due')).status, 403);
  assert.equal((await new Client().get('/api/v1/visits/due')).status, 401);
});

test('statistics: visits due and done by grade and month, in scope', async () => {
  const district = await loginAs('district');
  const s = await ok(await district.get('/api/v1/visits/stats'));
  assert.match(s.from, /^\d{4}-\d{2}$/);
  const done = s.cells.reduce((n, c) => n + c.done, 0);
  const due = s.cells.reduce((n, c) => n + c.due, 0);
  assert.ok(done > 0 && due > 0, JSON.stringify(s));
  for (const c of s.cells) assert.ok(c.on_time <= c.done);
  const director2 = await loginAs('director2');
  const mine = await ok(await director2.get('/api/v1/visits/stats'));
  assert.ok(mine.cells.reduce((n, c) => n + c.done, 0) <= done);
  let r = await district.get('/api/v1/visits/stats?from=2020-01&to=2026-12');
  assert.equal(r.status, 400);
  r = await district.get('/api/v1/visits/stats?from=2026-13');
  assert.equal(r.json.error.code, 'invalid_date');
  const cfg = await ok(await district.get('/api/v1/visits/config'));
  assert.equal(cfg.grades.find((g) => g.code === 'red').days, 7);
});
