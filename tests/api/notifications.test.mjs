// Notifications, the 工作台 numbers and the export watermark over real HTTP (issue 10), on the demo
// district: `tonghu demo` writes a welcome notification for every demo account, and its closing sweep the
// escalation notifications of its overdue work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Client, loginAs } from './client.mjs';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

test('notifications: the caller sees only their own, in the contract shape', async () => {
  const director = await loginAs('director');
  const r = await director.get('/api/v1/notifications?page_size=50');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.total >= 2, r.text);
  const titles = r.json.items.map((n) => n.title);
  assert.ok(titles.includes('欢迎使用童护（演示）'), titles.join());
  // The demo's real work: its closing sweep told the director of an overdue verification task.
  const overdue = r.json.items.find((x) => x.title === '已超期：核查排查线索');
  assert.ok(overdue && overdue.work_item_id && overdue.link.startsWith('/screening/tasks/'), titles.join());
  const n = r.json.items[0];
  assert.deepEqual(Object.keys(n).sort(), ['body', 'created_at', 'id', 'link', 'read_at', 'title', 'work_item_id']);
  assert.match(n.created_at, ISO);
  assert.ok(n.link.startsWith('/'));
  // The supervisor's list never holds the director's notifications, and reading one is 404.
  const sup = await loginAs('supervisor');
  const theirs = (await sup.get('/api/v1/notifications?page_size=50')).json.items.map((x) => x.id);
  for (const item of r.json.items) assert.ok(!theirs.includes(item.id));
  const foreign = await sup.post(`/api/v1/notifications/${n.id}/read`);
  assert.equal(foreign.status, 404, foreign.text);
  assert.equal(foreign.json.error.code, 'not_found');
  assert.equal((await sup.post('/api/v1/notifications/999999999/read')).status, 404);
});

test('notifications: read one, unread filter, read all', async () => {
  const grid = await loginAs('grid');
  let r = await grid.get('/api/v1/notifications?unread=1');
  assert.equal(r.status, 200);
  const before = r.json.unread;
  if (before === 0) return;  // a rerun on the same database: everything was read before
  assert.equal(r.json.total, before);
  const id = r.json.items[0].id;
  assert.equal((await grid.post(`/api/v1/notifications/${id}/read`)).status, 204);
  assert.equal((await grid.post(`/api/v1/notifications/${id}/read`)).status, 204);  // idempotent
  r = await grid.get('/api/v1/notifications');
  assert.equal(r.json.unread, before - 1);
  const read = r.json.items.find((x) => x.id === id);
  assert.match(read.read_at, ISO);
  r = await grid.post('/api/v1/notifications/read-all');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.marked, before - 1);
  assert.equal((await grid.get('/api/v1/notifications?unread=1')).json.total, 0);
});

test('notifications: bad input is 400 with the field, no session is 401', async () => {
  const director = await loginAs('director');
  let r = await director.get('/api/v1/notifications?unread=maybe');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'unread');
  r = await director.get('/api/v1/notifications?page=0');
  assert.equal(r.json.error.code, 'invalid_page');
  r = await director.get('/api/v1/notifications?page_size=500');
  assert.equal(r.json.error.code, 'invalid_page_size');
  r = await director.post('/api/v1/notifications/abc/read');
  assert.equal(r.status, 400);
  const en = new Client({ lang: 'en' });
  await en.login('director');
  r = await en.post('/api/v1/notifications/999999999/read');
  assert.match(r.json.error.message, /Not found/);
  assert.equal((await new Client().get('/api/v1/notifications')).status, 401);
});

test('workbench: numbers of the caller\'s jurisdiction, trend, todo, recent files', async () => {
  const district = await loginAs('district');
  const r = await district.get('/api/v1/workbench');
  assert.equal(r.status, 200, r.text);
  const w = r.json;
  assert.equal(w.unit.level, 'district');
  assert.ok(w.numbers.visible);
  const listTotal = (await district.get('/api/v1/children?page_size=1')).json.total;
  if (listTotal < 10000) assert.equal(w.numbers.children_total, listTotal);
  assert.deepEqual(w.numbers.by_unit.map((u) => u.name).filter((n) => n.endsWith('街道')).slice(0, 2).sort(),
    ['坂田街道', '布吉街道'].sort());
  assert.equal(w.numbers.by_unit.reduce((a, u) => a + u.count, 0), w.numbers.children_total);
  assert.ok(w.numbers.by_category.some((c) => c.code === 'orphan' && c.name === '孤儿'));
  assert.equal(w.trend.length, 6);
  for (const m of w.trend) assert.match(m.month, /^\d{4}-\d{2}$/);
  assert.equal(w.trend[5].on_roll, w.numbers.on_roll);
  assert.match(w.numbers.computed_at, ISO);  // when these numbers were computed
  // The to-dos are the work engine's inbox counts, the same as GET /inbox's.
  assert.equal(w.todo.source, 'work_items');
  const inbox = (await district.get('/api/v1/inbox?page_size=1')).json;
  assert.deepEqual(w.todo.counts, inbox.counts);
  assert.equal(w.todo.total, inbox.total);
  assert.equal(w.todo.overdue, inbox.counts.reduce((a, c) => a + c.overdue, 0));
  for (const k of ['due_today', 'overdue', 'total']) assert.equal(typeof w.todo[k], 'number');

  // Recent files: what the caller opened, newest first; not someone else's.
  const director = await loginAs('director');
  const list = (await director.get('/api/v1/children?page_size=2')).json.items;
  if (list.length > 0) {
    assert.equal((await director.get(`/api/v1/children/${list[0].id}`)).status, 200);
    const mine = (await director.get('/api/v1/workbench')).json;
    assert.equal(mine.recent_files[0].child_id, list[0].id);
    assert.equal(mine.recent_files[0].name, list[0].name);
    assert.match(mine.recent_files[0].viewed_at, ISO);
    const other = (await loginAs('director2')).get('/api/v1/workbench');
    assert.ok(!(await other).json.recent_files.some((f) => f.child_id === list[0].id));
  }
  // A director's numbers are its community's: never more than the district's.
  const d = (await director.get('/api/v1/workbench')).json;
  assert.equal(d.unit.level, 'community');
  assert.ok(d.numbers.children_total <= w.numbers.children_total);
  assert.deepEqual(d.todo.counts, (await director.get('/api/v1/inbox?page_size=1')).json.counts);
  // A liaison has no child or statistics permission: no numbers.
  const liaison = (await (await loginAs('liaison')).get('/api/v1/workbench')).json;
  assert.equal(liaison.numbers.visible, false);
  assert.equal(liaison.numbers.children_total, 0);
  assert.equal(liaison.numbers.computed_at, null);
  assert.deepEqual(liaison.recent_files, []);
  assert.equal((await new Client().get('/api/v1/workbench')).status, 401);
});

// The entries of a ZIP archive (XLSX) by name, inflated.
function unzip(buf) {
  const out = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

test('exports carry the pages\' watermark: name, account and time (Asia/Shanghai)', async () => {
  const director = await loginAs('director');
  const now = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  let res = await fetch(process.env.TH_BASE_URL + '/api/v1/children/export?format=csv', { headers: { Cookie: director.cookie } });
  assert.equal(res.status, 200);
  const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
  const last = lines[lines.length - 1];
  assert.match(last, /^导出水印：王秀英\(director\) \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  assert.ok(last.includes(now), `${last} is today's date in Asia/Shanghai (${now})`);
  assert.equal(Number(res.headers.get('x-export-rows')), lines.length - 2);  // header and watermark lines
  res = await fetch(process.env.TH_BASE_URL + '/api/v1/children/export?format=xlsx', { headers: { Cookie: director.cookie } });
  assert.equal(res.status, 200);
  const files = unzip(Buffer.from(await res.arrayBuffer()));
  const sheet = files['xl/worksheets/sheet1.xml'];
  assert.match(sheet, /<oddHeader>&amp;C王秀英\(director\) \d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/oddHeader>/);
  assert.match(sheet, /<oddFooter>&amp;C王秀英\(director\)/);
  assert.match(files['docProps/core.xml'], /王秀英\(director\)/);
});
