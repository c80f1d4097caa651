// Screening (排查) over real HTTP: a data source with a saved mapping, a department CSV uploaded
// as a batch (one registry child with an unmarked grade-1 disability, one new migrant child, one
// unregistered child in another community), findings by rule and Yizheng statistics, the
// 儿童主任's verification tasks (confirm → the file takes the confirmed values, entry roll request; a child not in
// the registry → open until a file is registered and linked to it), scoping (another community's task → 404), stale versions. Uploads
// answer 202 with a queued batch; the test polls it until the server's worker has finished it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs } from './client.mjs';

function upload(client, path, body, contentType = 'text/csv') {
  return client.request('POST', path, { body, raw: true, headers: { 'Content-Type': contentType } });
}

const RARE = '魑魅魍魉饕餮貔貅麒麟鸑鷟鹓鶵';
function rareName() {
  let s = '欧阳';
  for (let i = 0; i < 2; i++) s += RARE[Math.floor(Math.random() * RARE.length)];
  return s;
}

// Polls the batch until the server's worker is done with it; the statuses and stages seen on the way.
async function waitDone(client, id) {
  const seen = [];
  for (let i = 0; i < 600; i++) {
    const r = await client.get(`/api/v1/screening/batches/${id}`);
    assert.equal(r.status, 200, r.text);
    const b = r.json;
    seen.push(`${b.status}/${b.stage}`);
    assert.ok(b.processed >= 0 && b.processed <= b.total, `processed ${b.processed} of ${b.total}`);
    if (b.status === 'done' || b.status === 'failed') return { batch: b, seen };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`batch ${id} not finished; seen ${seen.join(' ')}`);
}

async function me(client) {
  return (await client.get('/api/v1/me')).json;
}

// A child of the director's community that is not disabled, not on the roll and has no open request.
async function pickChild(director) {
  for (let page = 1; page <= 10; page++) {
    const list = await director.get(`/api/v1/children?roll_status=not_on_roll&page=${page}&page_size=50`);
    assert.equal(list.status, 200, list.text);
    for (const c of list.json.items) {
      const f = (await director.get(`/api/v1/children/${c.id}`)).json;
      if (f.disability_type === 'none' && f.has_id_number !== false && !f.roll.pending_request_id &&
          f.roll.status === 'not_on_roll') {
        const rev = await director.post(`/api/v1/children/${c.id}/reveal`,
          { target: 'child', field: 'id_number', purpose: '排查测试核对' });
        if (rev.status === 200 && rev.json.value) return { file: f, id_number: rev.json.value };
      }
    }
  }
  throw new Error('no suitable child in the director\'s community');
}

test('upload a department file, see findings, verify as the 儿童主任', async () => {
  const district = await loginAs('district');
  const director = await loginAs('director');
  const director2 = await loginAs('director2');
  const community = (await me(director)).org_unit;
  const community2 = (await me(director2)).org_unit;

  // Sources: only screening.manage creates; the saved mapping is used for the upload.
  let r = await director.post('/api/v1/screening/sources', { name: '残联', dept_type: 'disability' });
  assert.equal(r.status, 403, r.text);
  r = await district.post('/api/v1/screening/sources', { name: '残联', bogus: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  r = await district.post('/api/v1/screening/sources', {
    name: '区残联 + 教育 合并表', dept_type: 'disability',
    mapping: { name: '人员姓名', id_number: '证件号码', birth_date: '出生日期', community: '所在社区',
               school_name: '就读学校', hukou_region_code: '户籍区划', disability_grade: '残疾等级',
               disability_type: '残疾类别' },
  });
  assert.equal(r.status, 201, r.text);
  const source = r.json;
  assert.equal(source.mapping.name, '人员姓名');
  r = await district.get('/api/v1/screening/sources');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((s) => s.id === source.id));

  const { file: child, id_number } = await pickChild(director);
  const migrant = rareName();
  const unregistered = rareName();
  const csv = [
    '人员姓名,证件号码,出生日期,所在社区,就读学校,户籍区划,残疾等级,残疾类别',
    `${child.name},${id_number},${child.birth_date},${community.code},,,一级,肢体残疾`,
    `${migrant},,2014-07-08,${community.code},实验小学,511321,,`,
    `${unregistered},,2013-01-05,${community2.code},,,,`,
  ].join('\r\n') + '\r\n';

  r = await upload(director, `/api/v1/screening/batches?source_id=${source.id}`, csv);
  assert.equal(r.status, 403, r.text);
  r = await upload(district, `/api/v1/screening/batches?source_id=${source.id}&file_name=dept.csv&complete_roster=maybe`, csv);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'complete_roster');
  // Accepted at once: the batch is queued (or already picked up by the worker), the rows stored.
  r = await upload(district, `/api/v1/screening/batches?source_id=${source.id}&file_name=dept.csv`, csv);
  assert.equal(r.status, 202, r.text);
  assert.ok(['queued', 'running', 'done'].includes(r.json.status), r.json.status);
  assert.equal(r.json.total, 3);
  assert.equal(r.json.complete_roster, false);
  assert.match(r.json.reference_date, /^\d{4}-\d{2}-\d{2}$/);
  const { batch, seen } = await waitDone(district, r.json.id);
  assert.equal(batch.status, 'done', `${batch.error} (seen ${seen.join(' ')})`);
  assert.equal(batch.stage, 'done');
  assert.equal(batch.attempts, 1);
  assert.equal(batch.file_name, 'dept.csv');
  assert.equal(batch.total, 3);
  assert.equal(batch.processed, 3);
  assert.ok(batch.finished_at >= batch.created_at);
  assert.equal(batch.stats.records, 3);
  assert.equal(batch.stats.matched, 1);
  assert.equal(batch.stats.findings_by_rule.disability_not_marked, 1);
  assert.equal(batch.stats.findings_by_rule.new_migrant_child, 1);
  assert.equal(batch.stats.findings_by_rule.new_registration, 1);
  assert.equal(batch.stats.pending, 3);

  r = await district.get('/api/v1/screening/batches?page_size=5');
  assert.equal(r.status, 200);
  assert.equal(r.json.items[0].id, batch.id);
  r = await district.get(`/api/v1/screening/batches/${batch.id}/findings`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 3);
  const dis = r.json.items.find((f) => f.rule_id === 'disability_not_marked');
  assert.equal(dis.child.id, child.id);
  assert.equal(dis.match.band, 'link');
  assert.equal(dis.rule_name, '一二级残疾未标记');
  assert.ok(dis.record.id_number_masked.includes('*'));
  assert.ok(!JSON.stringify(r.json).includes(id_number), 'ID numbers are masked in findings');
  r = await district.get(`/api/v1/screening/batches/${batch.id}/findings?rule_id=new_migrant_child`);
  assert.equal(r.json.total, 1);
  assert.equal(r.json.items[0].record.name, migrant);
  assert.equal((await director.get(`/api/v1/screening/batches/${batch.id}`)).status, 403);

  // Tasks: the director's queue holds this batch's two tasks of their community.
  r = await director.get('/api/v1/screening/tasks?queue=mine&page_size=200');
  assert.equal(r.status, 200, r.text);
  const mine = r.json.items.filter((t) => t.finding.batch_id === batch.id);
  assert.equal(mine.length, 2);
  const disTask = mine.find((t) => t.finding.rule_id === 'disability_not_marked');
  const migTask = mine.find((t) => t.finding.rule_id === 'new_migrant_child');
  assert.equal(disTask.outcome, null);
  assert.equal(disTask.overdue, false);
  assert.match(disTask.due_date, /^\d{4}-\d{2}-\d{2}$/);
  r = await director2.get('/api/v1/screening/tasks?queue=mine&page_size=200');
  const theirs = r.json.items.filter((t) => t.finding.batch_id === batch.id);
  assert.equal(theirs.length, 1);
  assert.equal(theirs[0].finding.rule_id, 'new_registration');

  // Out of jurisdiction → 404; bad input → 400; stale → 409.
  r = await director2.post(`/api/v1/screening/tasks/${disTask.id}/outcome`, { outcome: 'confirmed', version: 1 });
  assert.equal(r.status, 404, r.text);
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`, { outcome: 'maybe', version: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'outcome');
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`, { outcome: 'rejected', version: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'note');
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`, { outcome: 'confirmed', version: 9 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'stale_version');

  // The task shows the department's values next to the file's; confirming must write them.
  const changes = Object.fromEntries(disTask.finding.file_changes.map((c) => [c.field, c]));
  assert.equal(changes.disability_type.file_value, 'none');
  assert.equal(changes.disability_type.department_value, 'physical');
  assert.equal(changes.disability_grade.department_value, '1');
  assert.equal(changes.disability_grade.department_text, '1级');
  assert.equal(disTask.finding.confirm_action, 'roll_entry');
  const values = Object.fromEntries(disTask.finding.file_changes.map((c) => [c.field, c.department_value]));
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`, { outcome: 'confirmed', version: 1 });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'child_version');
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`,
    { outcome: 'confirmed', version: 1, child_version: child.version, file: { ...values, disability_type: undefined } });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'file_change_required');
  assert.equal(r.json.error.field, 'file.disability_type');
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`,
    { outcome: 'confirmed', version: 1, child_version: child.version + 7, file: values });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.field, 'child_version');
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`,
    { outcome: 'confirmed', version: 1, child_version: child.version, file: { ...values, disability_grade: 3 } });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'file_disagrees');
  assert.equal((await director.get(`/api/v1/children/${child.id}`)).json.disability_grade, child.disability_grade);

  // Confirmed: the file takes the values (categories re-evaluated), the child enters the roll workflow.
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`,
    { outcome: 'confirmed', note: '入户核实: 一级肢体残疾', version: 1, child_version: child.version, file: values });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.task.outcome, 'confirmed');
  assert.equal(r.json.task.version, 2);
  assert.equal(r.json.roll_request.kind, 'entry');
  assert.equal(r.json.roll_request.category, 'severe_disability');
  assert.equal(r.json.roll_request.child.id, child.id);
  assert.equal(r.json.task.roll_request_id, r.json.roll_request.id);
  assert.equal(r.json.suggested_child, null);
  const f = (await director.get(`/api/v1/children/${child.id}`)).json;
  assert.equal(f.roll.status, 'proposed');
  assert.equal(f.health, 'disabled');
  assert.equal(f.disability_type, 'physical');
  assert.equal(f.disability_grade, 1);
  assert.ok(f.version > child.version, `${f.version} > ${child.version}`);
  assert.equal(f.roll.pending_request_id, r.json.roll_request.id);
  r = await director.post(`/api/v1/screening/tasks/${disTask.id}/outcome`, { outcome: 'confirmed', version: 2 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_state');

  // A child not in the registry: open until the child's file exists and is linked to it.
  assert.equal(migTask.finding.confirm_action, 'register');
  r = await director.post(`/api/v1/screening/tasks/${migTask.id}/outcome`, { outcome: 'confirmed', version: 1 });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'child_file_required');
  assert.equal((await director.get(`/api/v1/screening/tasks/${migTask.id}`)).json.outcome, null);
  r = await director.post('/api/v1/children', {
    name: migrant, sex: 'male', birth_date: '2014-07-08', no_id_reason: '未办理', community_id: community.id,
    hukou_registered: true, hukou_region_code: '511321',
  });
  assert.equal(r.status, 201, r.text);
  const registered = r.json.id;
  r = await director.post(`/api/v1/screening/tasks/${migTask.id}/outcome`,
    { outcome: 'confirmed', version: 1, child_id: registered });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.task.finding.child.id, registered);
  assert.equal(r.json.task.finding.status, 'confirmed');
  assert.equal(r.json.roll_request, null);
  assert.equal(r.json.suggested_child, null);

  // The other community rejects theirs.
  r = await director2.post(`/api/v1/screening/tasks/${theirs[0].id}/outcome`,
    { outcome: 'rejected', note: '已搬离本社区', version: 1 });
  assert.equal(r.status, 200, r.text);

  // Statistics in the Yizheng form.
  r = await district.get(`/api/v1/screening/batches/${batch.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(
    { confirmed: r.json.stats.confirmed, rejected: r.json.stats.rejected, added: r.json.stats.added,
      exited: r.json.stats.exited, pending: r.json.stats.pending },
    { confirmed: 2, rejected: 1, added: 1, exited: 0, pending: 0 });
  assert.equal(r.json.stats.overdue, 0);

  // By unit for this batch: the district's streets, drill-down to the community, totals.
  const supervisor = await loginAs('supervisor');
  assert.equal((await director.get('/api/v1/screening/stats/units')).status, 403);
  r = await district.get(`/api/v1/screening/stats/units?batch_id=${batch.id}`);
  assert.equal(r.status, 200, r.text);
  const byUnit = r.json;
  assert.ok(byUnit.rows.every((x) => x.unit === null || x.unit.parent_id === byUnit.unit.id), 'rows are child units');
  assert.deepEqual(
    { records: byUnit.totals.records, matched: byUnit.totals.matched, findings: byUnit.totals.findings,
      confirmed: byUnit.totals.confirmed, rejected: byUnit.totals.rejected, added: byUnit.totals.added },
    { records: 3, matched: 1, findings: 3, confirmed: 2, rejected: 1, added: 1 });
  assert.equal(byUnit.rows.reduce((n, x) => n + x.stats.records, 0), 3);
  assert.ok(byUnit.rules.some((x) => x.id === 'absent_from_school_register'));
  // The director's street: where the disability finding of their community is counted.
  const street = byUnit.rows.find((x) => x.unit && x.stats.findings_by_rule.disability_not_marked);
  assert.ok(street, JSON.stringify(byUnit.rows));
  r = await district.get(`/api/v1/screening/stats/units?batch_id=${batch.id}&unit_id=${street.unit.id}`);
  assert.equal(r.status, 200, r.text);
  const cRow = r.json.rows.find((x) => x.unit && x.unit.id === community.id);
  assert.ok(cRow, JSON.stringify(r.json.rows));
  assert.equal(cRow.stats.findings_by_rule.disability_not_marked, 1);
  assert.equal(cRow.stats.added, 1);
  // The street supervisor: their own street only.
  r = await supervisor.get('/api/v1/screening/stats/units');
  assert.equal(r.status, 200, r.text);
  const supUnit = r.json.unit;
  const other = byUnit.rows.find((x) => x.unit && x.unit.id !== supUnit.id);
  if (other) {
    r = await supervisor.get(`/api/v1/screening/stats/units?unit_id=${other.unit.id}`);
    assert.equal(r.status, 404, r.text);
  }
});

test('bad uploads are refused with the field named', async () => {
  const district = await loginAs('district');
  let r = await upload(district, '/api/v1/screening/batches', '姓名\n张三\n');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'source_id');
  const src = await district.post('/api/v1/screening/sources', { name: '学籍', dept_type: 'education' });
  assert.equal(src.status, 201, src.text);
  r = await upload(district, `/api/v1/screening/batches?source_id=${src.json.id}`, '学校\n实验小学\n');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'missing_columns');
  r = await upload(district,
    `/api/v1/screening/batches?source_id=${src.json.id}&mapping=${encodeURIComponent('{"name":"无此列"}')}`,
    '姓名\n张三\n');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_mapping');
  r = await upload(district, `/api/v1/screening/batches?source_id=${src.json.id}`, '{}', 'application/json');
  assert.equal(r.status, 415);
  r = await district.get('/api/v1/screening/tasks?queue=nope');
  assert.equal(r.status, 400);
});
