// Issue 9 items 15 and 18 over real HTTP: a roll proposal carries the category's rule verdict (a proposal the
// rules do not support needs a reason, 400 `reason` naming the verdict), the queues show verdict and reason;
// the audit log serves action names from the server's table, names objects and filters by a person's name;
// the change history names units and users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth } from './client.mjs';

async function newChild(director, extra = {}) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = randomBirth();
  const body = {
    name: '司马晓雨', sex: 'female', birth_date: birth, id_number: makeId(birth, false), community_id: me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    family: [
      { relation: 'father', name: '司马建军', state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36 },
      { relation: 'mother', name: '周丽', state: 'missing', state_since: '2024-02-01' },
    ],
    guardian: { name: '司马奶奶', relation: 'grandmother', phone: '13800002222' },
    ...extra,
  };
  const r = await director.post('/api/v1/children', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('a proposal against the rules needs a reason; the verdict travels with the request into the queues', async () => {
  const director = await loginAs('director');
  const file = await newChild(director);
  // 孤儿 for a child whose parents are alive: the rules say 不符合.
  const orphan = file.category_verdicts.find((v) => v.code === 'orphan');
  assert.equal(orphan.rule_outcome, 'not_met');
  let r = await director.post(`/api/v1/children/${file.id}/roll-requests`, { kind: 'entry', category: 'orphan', reason: '' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'reason');
  assert.equal(r.json.error.code, 'reason_required');
  assert.match(r.json.error.message, /不符合/);
  r = await director.post(`/api/v1/children/${file.id}/roll-requests`, { kind: 'entry', category: 'orphan' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'reason');
  r = await director.post(`/api/v1/children/${file.id}/roll-requests`,
    { kind: 'entry', category: 'orphan', reason: '父母长期失联，申请按孤儿认定' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.rule_outcome, 'not_met');
  assert.ok(r.json.rule_reason.length > 0);
  const req = r.json;

  const sup = await loginAs('supervisor');
  const review = await sup.get('/api/v1/roll-requests?queue=review&page_size=200');
  assert.equal(review.status, 200, review.text);
  const item = review.json.items.find((x) => x.id === req.id);
  assert.ok(item, 'in the review queue');
  assert.equal(item.rule_outcome, 'not_met');
  assert.equal(item.rule_reason, req.rule_reason);
  assert.equal(item.reason, '父母长期失联，申请按孤儿认定');
  r = await sup.post(`/api/v1/roll-requests/${req.id}/review`, { note: '请区级把关', version: 1 });
  assert.equal(r.status, 200, r.text);
  const district = await loginAs('district');
  const confirm = await district.get('/api/v1/roll-requests?queue=confirm&page_size=200');
  const c = confirm.json.items.find((x) => x.id === req.id);
  assert.equal(c.rule_outcome, 'not_met');
  assert.equal(c.reason, '父母长期失联，申请按孤儿认定');
  // What the rules support is recorded as met.
  r = await district.post(`/api/v1/roll-requests/${req.id}/return`, { note: '按事实无人抚养申报', version: 2 });
  assert.equal(r.status, 200, r.text);
  r = await director.post(`/api/v1/children/${file.id}/roll-requests`,
    { kind: 'entry', category: 'de_facto_unsupported', reason: '父亲服刑、母亲失联' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.rule_outcome, 'met');
});

test('the audit log names actions, objects and people; filters by a person\'s name', async () => {
  const admin = await loginAs('admin');
  const actions = await admin.get('/api/v1/audit/actions');
  assert.equal(actions.status, 200, actions.text);
  const byCode = Object.fromEntries(actions.json.items.map((a) => [a.code, a]));
  assert.equal(byCode['auth.login'].zh, '登录');
  assert.equal(byCode['roll.propose'].zh, '提出增减员申请');
  const director = await loginAs('director');
  assert.equal((await director.get('/api/v1/audit/actions')).status, 403);

  const r = await admin.get('/api/v1/audit?page_size=100');
  assert.equal(r.status, 200, r.text);
  for (const e of r.json.items) {
    assert.ok(e.action_name && e.action_name.zh && e.action_name.en, `action_name for ${e.action}`);
    assert.notEqual(e.action_name.zh, e.action, `a Chinese name for ${e.action}`);
  }
  // Objects are named: a user entry carries the user's display name.
  const users = await admin.get('/api/v1/audit?object_type=user&action=auth.login&page_size=20');
  const withName = users.json.items.find((e) => e.object_id && e.object_name);
  assert.ok(withName, 'a login entry names its user');
  assert.equal(withName.object_type_name.zh, '用户');

  // Unit ids in the changes are named: a user.create entry's org_unit_id.
  const created = await admin.get('/api/v1/audit?action=user.create&page_size=5');
  assert.equal(created.status, 200, created.text);
  const withUnit = created.json.items.find((e) => e.after && e.after.org_unit_id);
  assert.ok(withUnit, 'a user.create entry with org_unit_id');
  assert.ok(created.json.names.org_unit[String(withUnit.after.org_unit_id)], 'the unit is named');

  // Filter by a person's name (part of the display name or the user name).
  const me = (await director.get('/api/v1/me')).json;
  const part = me.display_name.slice(0, 2);
  const mine = await admin.get(`/api/v1/audit?actor=${encodeURIComponent(part)}&page_size=200`);
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.total > 0);
  for (const e of mine.json.items) assert.ok(e.actor_name.includes(part) || e.actor_id === me.id, `${e.actor_name} matches ${part}`);
  const byUsername = await admin.get('/api/v1/audit?actor=director&page_size=200');
  assert.ok(byUsername.json.items.some((e) => e.actor_id === me.id));
  const nobody = await admin.get(`/api/v1/audit?actor=${encodeURIComponent('没有这个人%_')}`);
  assert.equal(nobody.status, 200);
  assert.equal(nobody.json.total, 0);
});

test('the change history carries action names and names the units and people in it', async () => {
  const director = await loginAs('director');
  const me = (await director.get('/api/v1/me')).json;
  const file = await newChild(director, { director_user_id: me.id });
  const h = await director.get(`/api/v1/children/${file.id}/history`);
  assert.equal(h.status, 200, h.text);
  const created = h.json.items.find((e) => e.action === 'child.create');
  assert.equal(created.action_name.zh, '建档');
  assert.equal(h.json.names.org_unit[String(me.org_unit.id)], me.org_unit.name);
  assert.equal(h.json.names.user[String(me.id)], me.display_name);
});
