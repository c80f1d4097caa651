// Org-unit import over real HTTP with the shared upload + column mapping: preview (file facts, columns,
// first rows, suggested mapping from Chinese or English headers), an explicit mapping sent with the file,
// a GBK CSV as Excel saves it, XLSX, malformed files, a dry run listing per-row errors before anything is
// written, and the all-or-nothing import. The fixed-header CSV without a mapping is in admin.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, loginAs } from './client.mjs';
import { xlsxOfRows } from './xlsx_fixture.mjs';

// A street code under 龙岗区 (440307) not used by the demo or earlier runs: 440307 + 5xx..9xx + 000.
async function freshStreet(admin) {
  for (;;) {
    const code = `440307${500 + Math.floor(Math.random() * 499)}000`;
    const r = await admin.get(`/api/v1/org-units?q=${code.slice(0, 9)}`);
    if (r.json.total === 0) return code;
  }
}

function raw(client, path, body, contentType = 'text/csv') {
  return client.request('POST', path, { body, raw: true, headers: { 'Content-Type': contentType } });
}

// multipart/form-data with the file and, when given, the mapping, as the dialog sends it.
async function multipart(client, path, bytes, name, mapping) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  const res = await fetch(BASE + path, { method: 'POST', body: form,
    headers: { Cookie: client.cookie, 'X-CSRF-Token': client.csrf, 'Accept-Language': 'zh-CN' } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

const hex = (h) => Buffer.from(h, 'hex');
const GBK = {
  header: hex('b5a5cebbc3fbb3c62cb5a5cebbb4fac2eb2cb2e3bcb62cc9cfbcb6b4fac2eb2cb1b8d7a2'), // 单位名称,单位代码,层级,上级代码,备注
  street: hex('b2e2cad4b5bcc8ebbdd6b5c0'), // 测试导入街道
  community: hex('b2e2cad4b5bcc8ebc9e7c7f8'), // 测试导入社区
  streetLevel: hex('bdd6b5c0'), // 街道
  communityLevel: hex('c9e7c7f8'), // 社区
};
const a = (s) => Buffer.from(s, 'ascii');

// 单位名称,单位代码,层级,上级代码,备注 in GBK with CRLF, as Excel saves a CSV on Chinese Windows.
function gbkFile(street) {
  const community = street.slice(0, 9) + '001';
  return Buffer.concat([
    GBK.header, a('\r\n'),
    GBK.street, a(`,${street},`), GBK.streetLevel, a(',440307000000,x\r\n'),
    GBK.community, a(`,${community},`), GBK.communityLevel, a(`,${street},\r\n`),
  ]);
}

test('preview: file facts, columns, first rows and the suggested mapping; GBK detected', async () => {
  const admin = await loginAs('admin');
  const street = await freshStreet(admin);
  const r = await multipart(admin, '/api/v1/org-units/import/preview?file_name=units.csv', gbkFile(street), 'units.csv');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.format, 'csv');
  assert.equal(r.json.charset, 'GB18030');
  assert.equal(r.json.file_name, 'units.csv');
  assert.equal(r.json.rows, 2);
  assert.deepEqual(r.json.columns, ['单位名称', '单位代码', '层级', '上级代码', '备注']);
  assert.deepEqual(r.json.mapping, { code: '单位代码', name: '单位名称', level: '层级', parent_code: '上级代码' });
  assert.deepEqual(r.json.unmapped_columns, ['备注']);
  assert.deepEqual(r.json.missing_required, []);
  assert.deepEqual(r.json.sample[0], { line: 2, cells: ['测试导入街道', street, '街道', '440307000000', 'x'] });
  assert.deepEqual(r.json.fields.map((f) => [f.key, f.required]), [['code', true], ['name', true], ['level', false], ['parent_code', false]]);
  // English headers and synonyms map too; an unknown header leaves a required field missing.
  let p = await raw(admin, '/api/v1/org-units/import/preview', '代码,名称,parent_code\n440307000000,龙岗区,\n');
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.json.mapping, { code: '代码', name: '名称', parent_code: 'parent_code' });
  p = await raw(admin, '/api/v1/org-units/import/preview', 'A列,B列\n1,2\n');
  assert.deepEqual(p.json.missing_required, ['code', 'name']);
  // Only org.manage previews; not a spreadsheet type is 415.
  const leader = await loginAs('leader');
  assert.equal((await raw(leader, '/api/v1/org-units/import/preview', 'code,name\n')).status, 403);
  assert.equal((await raw(admin, '/api/v1/org-units/import/preview', '{}', 'application/json')).status, 415);
});

test('GBK file: dry run writes nothing, then the import with the mapping creates both units', async () => {
  const admin = await loginAs('admin');
  const street = await freshStreet(admin);
  const file = gbkFile(street);
  const mapping = { code: '单位代码', name: '单位名称', level: '层级', parent_code: '上级代码' };
  let r = await multipart(admin, '/api/v1/org-units/import?dry_run=1', file, 'units.csv', mapping);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dry_run, true);
  assert.equal(r.json.created, 2);
  assert.equal(r.json.rows, 2);
  assert.equal(r.json.charset, 'gb18030');
  assert.deepEqual(r.json.rejected, []);
  assert.equal((await admin.get(`/api/v1/org-units?q=${street}`)).json.total, 0, 'a dry run writes nothing');
  r = await multipart(admin, '/api/v1/org-units/import', file, 'units.csv', mapping);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 2);
  const c = await admin.get(`/api/v1/org-units?q=${street.slice(0, 9)}001`);
  assert.equal(c.json.total, 1);
  assert.equal(c.json.items[0].level, 'community', '社区 in the 层级 column is the community level');
  assert.deepEqual(c.json.items[0].path_names.slice(-2), ['测试导入街道', '测试导入社区']);
  // The mapping can also come as a query parameter with a raw body; the same file again changes nothing.
  r = await raw(admin, `/api/v1/org-units/import?mapping=${encodeURIComponent(JSON.stringify(mapping))}`, file);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unchanged, 2);
});

test('an explicit mapping onto other headers; bad mappings name the problem', async () => {
  const admin = await loginAs('admin');
  const street = await freshStreet(admin);
  const csv = `甲,乙,丙\n${street},映射街道,440307000000\n`;
  // Without a mapping the headers mean nothing.
  let r = await raw(admin, '/api/v1/org-units/import?dry_run=1', csv);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'missing_columns');
  r = await multipart(admin, '/api/v1/org-units/import?dry_run=1', csv, 'm.csv', { code: '甲', name: '乙', parent_code: '丙' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 1);
  r = await multipart(admin, '/api/v1/org-units/import?dry_run=1', csv, 'm.csv', { code: '甲', name: '丁' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_mapping');
  assert.equal(r.json.error.field, 'mapping');
  r = await multipart(admin, '/api/v1/org-units/import?dry_run=1', csv, 'm.csv', { code: '甲', name: '乙', colour: '丙' });
  assert.equal(r.json.error.code, 'invalid_mapping');
  r = await raw(admin, '/api/v1/org-units/import?dry_run=1&mapping=%7Bnot-json', csv);
  assert.equal(r.json.error.code, 'invalid_mapping');
});

test('XLSX with a dry run that lists the per-row errors; the import is all or nothing', async () => {
  const admin = await loginAs('admin');
  const street = await freshStreet(admin);
  const p9 = street.slice(0, 9);
  const rows = [
    ['序号', '单位名称', '区划代码', '上级单位代码'],
    ['1', 'XLSX街道', street, '440307000000'],
    ['2', '好社区', `${p9}001`, street],
    ['3', '坏代码', `${p9}0X2`, street],
    ['4', '孤儿社区', '440307444001', '440307444000'],
    ['5', '重复', `${p9}001`, street],
    ['6', '', `${p9}003`, street],
  ];
  const xlsx = xlsxOfRows(rows);
  const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  let r = await raw(admin, '/api/v1/org-units/import/preview', xlsx, type);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.format, 'xlsx');
  assert.equal(r.json.rows, 6);
  assert.equal(r.json.mapping.code, '区划代码');
  assert.equal(r.json.mapping.parent_code, '上级单位代码');
  r = await raw(admin, '/api/v1/org-units/import?dry_run=1', xlsx, type);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'import_rejected');
  assert.equal(r.json.dry_run, true);
  assert.deepEqual(r.json.rejected.map((x) => x.line), [4, 5, 6, 7]);
  assert.equal(r.json.created, 2, 'the summary says what the valid rows would do');
  assert.equal(r.json.rows, 6);
  assert.match(r.json.rejected[0].message, /区划代码|层级/);
  assert.ok(r.json.rejected.every((x) => x.message.length > 0));
  r = await raw(admin, '/api/v1/org-units/import', xlsx, type);
  assert.equal(r.status, 400);
  assert.deepEqual(r.json.rejected.map((x) => x.line), [4, 5, 6, 7]);
  assert.equal((await admin.get(`/api/v1/org-units?q=${street}`)).json.total, 0, 'the good rows were not written');
  // Without the bad rows it goes through.
  r = await raw(admin, '/api/v1/org-units/import', xlsxOfRows(rows.slice(0, 3)), type);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 2);
  assert.equal(r.json.format, 'xlsx');
});

test('malformed files are refused with the reason', async () => {
  const admin = await loginAs('admin');
  // Broken quoting names the line.
  let r = await raw(admin, '/api/v1/org-units/import?dry_run=1', 'code,name\n"440307008000,x\n');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'file');
  // A row with the wrong number of fields is a rejected row: nothing is written.
  const street = await freshStreet(admin);
  r = await raw(admin, '/api/v1/org-units/import', `code,name,level,parent_code\n${street},列数街道,street,440307000000\n${street.slice(0, 9)}001,少列\n`);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'import_rejected');
  assert.deepEqual(r.json.rejected.map((x) => x.line), [3]);
  assert.equal((await admin.get(`/api/v1/org-units?q=${street}`)).json.total, 0);
  // Headers only, an empty body, a zip that is not a workbook, a legacy .xls.
  r = await raw(admin, '/api/v1/org-units/import', 'code,name,level,parent_code\n');
  assert.equal(r.json.error.code, 'import_empty');
  r = await raw(admin, '/api/v1/org-units/import/preview', '');
  assert.equal(r.status, 400);
  r = await raw(admin, '/api/v1/org-units/import/preview', Buffer.from('504b0304deadbeef', 'hex'), 'application/octet-stream');
  assert.equal(r.status, 400);
  assert.match(r.json.error.code, /^xlsx_/);
  r = await raw(admin, '/api/v1/org-units/import', Buffer.from('d0cf11e0a1b11ae1000000', 'hex'), 'application/octet-stream');
  assert.equal(r.status, 415);
  assert.equal(r.json.error.code, 'xlsx_encrypted');
  // A multipart body without the file part.
  const form = new FormData();
  form.append('mapping', '{}');
  const res = await fetch(BASE + '/api/v1/org-units/import', { method: 'POST', body: form, headers: { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf } });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, 'invalid_upload');
});
