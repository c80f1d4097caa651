// Early warnings (预警) over real HTTP: a child whose father is imprisoned and mother missing, confirmed onto the
// roll, gets one warning at once (the registry's roll listener; the reason in words names both), which is listed,
// read (audited), handled with a note (validation, stale version, closed once); a warning raised by hand (once per
// rule and child); the rules and the counts; bad filters; the demo's warnings (open ones and a handled one); and
// who may do what (403 / 404).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth } from './client.mjs';

async function ok(r, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}

async function childOnRoll(director) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const file = await ok(await director.post('/api/v1/children', {
    name: '欧阳预警', sex: 'female', birth_date: birth, id_number: makeId(birth, false), community_id: me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    family: [{ relation: 'father', name: '欧阳建军', state: 'imprisoned', state_since: '2025-03-01', restriction_months: 48 },
             { relation: 'mother', name: '林秀兰', state: 'missing', state_since: '2025-05-01' }],
    guardian: { name: '欧阳奶奶', relation: 'grandmother', phone: '13800002222' },
  }), 201);
  const req = await ok(await director.post(`/api/v1/children/${file.id}/roll-requests`,
    { kind: 'entry', category: 'de_facto_unsupported', reason: '父亲服刑、母亲失联' }), 201);
  const sup = await loginAs('supervisor');
  await ok(await sup.post(`/api/v1/roll-requests/${req.id}/review`, { note: '同意', version: 1 }));
  assert.equal((await ok(await director.get(`/api/v1/warnings?child_id=${file.id}`))).total, 0, 'not on the roll yet');
  const district = await loginAs('district');
  await ok(await district.post(`/api/v1/roll-requests/${req.id}/confirm`, { note: '同意', version: 2 }));
  return file;
}

test('a parent imprisoned or missing raises one warning when the child enters the roll; a person handles it', async () => {
  const director = await loginAs('director');
  const child = await childOnRoll(director);
  const list = await ok(await director.get(`/api/v1/warnings?child_id=${child.id}`));
  assert.equal(list.total, 1);
  const w = list.items[0];
  assert.equal(w.rule, 'parent_detained_missing');
  assert.equal(w.severity, 'high');
  assert.equal(w.status, 'open');
  assert.match(w.reason, /父亲（欧阳建军）的状态为服刑在押（自 2025-03-01）/);
  assert.match(w.reason, /母亲（林秀兰）的状态为失联/);
  assert.equal(w.raised_by.id, null);
  // Its work item: in the 儿童主任's 待办, linking to the warning.
  const inbox = await ok(await director.get('/api/v1/inbox?kind=warning&page_size=200'));
  assert.ok(inbox.items.some((i) => i.link === `/warnings/${w.id}`), JSON.stringify(inbox.items.slice(0, 3)));
  // Read: the detail, for the other street 404, the leader reads it.
  assert.equal((await ok(await director.get(`/api/v1/warnings/${w.id}`))).id, w.id);
  assert.equal((await (await loginAs('director2')).get(`/api/v1/warnings/${w.id}`)).status, 404);
  assert.equal((await (await loginAs('leader')).get(`/api/v1/warnings/${w.id}`)).status, 200);
  assert.equal((await (await loginAs('leader')).post(`/api/v1/warnings/${w.id}/handle`, { outcome: 'handled', note: '已处置', version: w.version })).status, 403);
  assert.equal((await (await loginAs('grid')).post(`/api/v1/warnings/${w.id}/handle`, { outcome: 'handled', note: '已处置', version: w.version })).status, 403);
  // Handle: validation, a stale version, then closed once.
  let r = await director.post(`/api/v1/warnings/${w.id}/handle`, { outcome: 'done', note: '已处置', version: w.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_enum');
  r = await director.post(`/api/v1/warnings/${w.id}/handle`, { outcome: 'handled', note: '', version: w.version });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'note');
  r = await director.post(`/api/v1/warnings/${w.id}/handle`, { outcome: 'handled', note: '已入户', version: w.version + 5 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'stale_version');
  const done = await ok(await director.post(`/api/v1/warnings/${w.id}/handle`,
    { outcome: 'handled', note: '已入户核实，祖母照料，纳入重点关注', version: w.version }));
  assert.equal(done.status, 'handled');
  assert.equal(done.open, false);
  assert.equal(done.close_note, '已入户核实，祖母照料，纳入重点关注');
  assert.ok(done.closed_by.name);
  r = await director.post(`/api/v1/warnings/${w.id}/handle`, { outcome: 'false_alarm', note: '误报', version: done.version });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_state');
  // Its work item is closed; the child's warnings read is audited.
  const after = await ok(await director.get('/api/v1/inbox?kind=warning&page_size=200'));
  assert.ok(!after.items.some((i) => i.link === `/warnings/${w.id}`));
  const audit = await ok(await (await loginAs('district')).get('/api/v1/audit?action=warning.read&page_size=50'));
  assert.ok(audit.items.length > 0);
});

test('a warning raised by hand: once per rule and child, scope and permissions', async () => {
  const director = await loginAs('director');
  const children = (await ok(await director.get('/api/v1/children?page_size=5'))).items;
  const child = children[0];
  let r = await director.post(`/api/v1/children/${child.id}/warnings`, { reason: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'reason');
  r = await director.post(`/api/v1/children/${child.id}/warnings`, { rule: 'nope', reason: '走访发现异常' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_enum');
  r = await director.post(`/api/v1/children/${child.id}/warnings`, { reason: '走访发现孩子独自在家，监护人外出两天未归' });
  assert.ok([200, 201].includes(r.status), r.text);
  const again = await ok(await director.post(`/api/v1/children/${child.id}/warnings`, { reason: '再次发现' }), 200);
  assert.equal(again.created, false);
  assert.equal(again.id, r.json.id);
  assert.equal((await (await loginAs('director2')).post(`/api/v1/children/${child.id}/warnings`, { reason: '越权预警' })).status, 404);
  assert.equal((await (await loginAs('grid')).post(`/api/v1/children/${child.id}/warnings`, { reason: '无权预警' })).status, 403);
  assert.equal((await (await loginAs('liaison')).get('/api/v1/warnings')).status, 403);
});

test('rules, counts, filters and the demo district\'s warnings', async () => {
  const district = await loginAs('district');
  const rules = await ok(await district.get('/api/v1/warnings/rules'));
  const codes = rules.rules.map((x) => x.code);
  for (const c of ['parent_detained_missing', 'red_no_visit', 'dropout', 'repeat_reports', 'assessment_overdue', 'guardianship_limit', 'manual']) {
    assert.ok(codes.includes(c), c);
  }
  assert.ok(rules.rules.every((x) => ['high', 'medium', 'low'].includes(x.severity) && x.name && x.name_en && x.reason));
  let r = await district.get('/api/v1/warnings?status=bogus');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_enum');
  r = await district.get('/api/v1/warnings?rule=bogus');
  assert.equal(r.status, 400);
  const open = await ok(await district.get('/api/v1/warnings?status=open&page_size=200'));
  assert.ok(open.total > 0, 'the demo has open warnings');
  assert.ok(open.items.every((w) => w.open && w.reason.length > 4));
  const handled = await ok(await district.get('/api/v1/warnings?status=handled&page_size=200'));
  assert.ok(handled.total >= 1, 'the demo has a handled warning');
  const counts = await ok(await district.get('/api/v1/warnings/counts'));
  assert.equal(counts.open, open.total);
  const byRule = await ok(await district.get(`/api/v1/warnings?rule=${counts.by_rule[0].rule}&status=open`));
  assert.equal(byRule.total, counts.by_rule[0].open);
  // The other street's 儿童主任 sees only her community's.
  const director2 = await loginAs('director2');
  const unit = (await ok(await director2.get('/api/v1/me'))).org_unit.id;
  const d2 = (await ok(await director2.get('/api/v1/warnings?page_size=200'))).items;
  assert.ok(d2.every((w) => w.community_id === unit), JSON.stringify(d2.map((w) => w.community_id)));
});
