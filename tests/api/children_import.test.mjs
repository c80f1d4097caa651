// Child import and export over real HTTP: preview with auto-mapped Chinese headers, dry run,
// all-or-nothing commit with a row report (bad checksum, bad date, unknown unit, duplicate rows),
// GBK CSV, broken XLSX, multipart upload with an explicit mapping, export masked / revealed with
// a purpose (audited), Content-Disposition with a UTF-8 file name, scoping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChar, loginAs, randomBirth } from './client.mjs';

let counter = Math.floor(Math.random() * 400);
// A valid number for `birth` (YYYY-MM-DD) with a fresh sequence; region varies per run so reruns
// against one database do not collide with earlier imports.
const region = String(110100 + Math.floor(Math.random() * 8000));
function makeId(birth, male = true) {
  counter += 1;
  const seq = ((counter % 499) * 2 + (male ? 1 : 2)) % 1000;
  const first17 = `${region}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

const HEADER = '姓名,性别,出生日期,身份证号,户籍地址,现住址,社区,父亲姓名,父亲状态,父亲状态起始日期,母亲姓名,母亲状态,监护人姓名,监护人关系,监护人电话';

function row({ name = '测试儿童', birth = randomBirth(), id, community, fatherState = '外出务工' } = {}) {
  const idn = id ?? makeId(birth);
  return [name, '男', birth, idn, '四川省南充市', '某小区', community, '父亲甲', fatherState, '2024-01-01',
    '母亲乙', '在家', '母亲乙', '母亲', '13800001111'].join(',');
}

async function me(client) {
  return (await client.get('/api/v1/me')).json;
}

function upload(client, path, body, contentType = 'text/csv') {
  return client.request('POST', path, { body, raw: true, headers: { 'Content-Type': contentType } });
}

test('preview detects columns, charset and suggests the mapping', async () => {
  const district = await loginAs('district');
  const director = await loginAs('director');
  const community = (await me(director)).org_unit.code;
  const csv = [HEADER, row({ community }), row({ community })].join('\r\n') + '\r\n';
  const r = await upload(district, '/api/v1/children/import/preview', csv);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.format, 'csv');
  assert.equal(r.json.charset, 'UTF-8');
  assert.equal(r.json.rows, 2);
  assert.equal(r.json.mapping.name, '姓名');
  assert.equal(r.json.mapping.id_number, '身份证号');
  assert.equal(r.json.mapping.community, '社区');
  assert.equal(r.json.mapping.father_state_since, '父亲状态起始日期');
  assert.deepEqual(r.json.missing_required, []);
  assert.equal(r.json.sample[0].line, 2);
  assert.ok(r.json.fields.some((f) => f.key === 'guardian_phone'));
  // Leaders read but do not write.
  const leader = await loginAs('leader');
  assert.equal((await upload(leader, '/api/v1/children/import/preview', csv)).status, 403);
  // Not a spreadsheet type.
  assert.equal((await upload(district, '/api/v1/children/import/preview', '{}', 'application/json')).status, 415);
});

test('dry run then commit; the imported child is a normal file with derived categories', async () => {
  const director = await loginAs('director');
  const community = (await me(director)).org_unit.code;
  const birth = randomBirth();
  const id = makeId(birth);
  const name = '导入' + String.fromCharCode(0x4e00 + Math.floor(Math.random() * 2000));
  const csv = [HEADER, row({ name, birth, id, community })].join('\n');
  let r = await upload(director, '/api/v1/children/import?dry_run=1', csv);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dry_run, true);
  assert.equal(r.json.valid, 1);
  assert.equal(r.json.created, 0);
  let dup = await director.get(`/api/v1/children/duplicates?id_number=${id}`);
  assert.equal(dup.json.items.length, 0, 'dry run wrote nothing');

  r = await upload(director, '/api/v1/children/import?file_name=' + encodeURIComponent('名册.csv'), csv);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.committed, true);
  assert.equal(r.json.created, 1);
  dup = await director.get(`/api/v1/children/duplicates?id_number=${id}`);
  assert.equal(dup.json.items.length, 1);
  const file = (await director.get(`/api/v1/children/${dup.json.items[0].id}`)).json;
  assert.equal(file.family.length, 2);
  assert.equal(file.guardian.member_id, file.family[1].id, 'guardian is the mother (a family member)');
  const hist = (await director.get(`/api/v1/children/${file.id}/history`)).json;
  assert.ok(hist.items.some((e) => e.action === 'child.create' && /import/.test(e.purpose)));

  // Same file again: duplicate of an existing child; nothing written.
  r = await upload(director, '/api/v1/children/import', csv);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'import_rejected');
  assert.equal(r.json.rejected[0].code, 'duplicate_existing');
  assert.equal(r.json.rejected[0].column, '身份证号');
});

test('all-or-nothing: every bad row reported with line, column and reason', async () => {
  const director = await loginAs('director');
  const director2 = await loginAs('director2');
  const mine = (await me(director)).org_unit.code;
  const other = (await me(director2)).org_unit.code;
  const good = makeId('2015-03-02');
  const badSum = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  const lines = [
    HEADER,
    row({ id: good, birth: '2015-03-02', community: mine }),                  // 2 ok
    row({ id: badSum, birth: '2015-03-02', community: mine }),                // 3 checksum
    row({ birth: '2015-02-30', id: '', community: mine }),                    // 4 bad date
    row({ community: '不存在的社区' }),                                        // 5 unknown unit
    row({ community: other }),                                                // 6 outside jurisdiction
    row({ id: good, birth: '2015-03-02', community: mine }),                  // 7 duplicate of line 2
    row({ community: mine, fatherState: '坏状态' }),                           // 8 bad enum
  ];
  const r = await upload(director, '/api/v1/children/import', lines.join('\n'));
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.committed, false);
  assert.equal(r.json.created, 0);
  assert.equal(r.json.rows, 7);
  assert.equal(r.json.rejected_rows, 6);
  const by = Object.fromEntries(r.json.rejected.map((x) => [x.line, x]));
  assert.equal(by[3].code, 'invalid_id_checksum');
  assert.equal(by[3].column, '身份证号');
  assert.equal(by[4].code, 'invalid_date');
  assert.equal(by[4].column, '出生日期');
  assert.equal(by[5].code, 'unknown_community');
  assert.equal(by[6].code, 'out_of_jurisdiction');
  assert.equal(by[7].code, 'duplicate_row');
  assert.match(by[7].message, /第2行/);
  assert.equal(by[8].column, '父亲状态');
  assert.equal(by[2], undefined);
  // Line 2 was valid but nothing was written.
  const dup = await director.get(`/api/v1/children/duplicates?id_number=${good}`);
  assert.equal(dup.json.items.length, 0);
  // English messages on request.
  director.lang = 'en';
  const en = await upload(director, '/api/v1/children/import?dry_run=1', lines.join('\n'));
  assert.equal(en.status, 200);
  assert.match(en.json.rejected.find((x) => x.line === 5).message, /Unknown community/);
});

test('GBK CSV as Excel saves it, and a broken XLSX', async () => {
  const director = await loginAs('director');
  const community = (await me(director)).org_unit.code;
  const csv = [HEADER, row({ community })].join('\r\n');
  // GBK bytes via the server's own template? Node has no GBK encoder: encode with TextDecoder's
  // inverse table built from the characters we use.
  const gbk = encodeGbk(csv);
  let r = await upload(director, '/api/v1/children/import/preview', gbk);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.charset, 'GB18030');
  assert.equal(r.json.mapping.name, '姓名');
  r = await upload(director, '/api/v1/children/import?dry_run=1', gbk);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.valid, 1, JSON.stringify(r.json.rejected));

  // A zip that stops half-way.
  const tpl = await director.request('GET', '/api/v1/children/import/template?format=xlsx');
  assert.equal(tpl.status, 200);
  const bytes = new Uint8Array(await (await fetch(process.env.TH_BASE_URL + '/api/v1/children/import/template', {
    headers: { Cookie: director.cookie } })).arrayBuffer());
  assert.equal(bytes[0], 0x50); // PK
  const broken = bytes.slice(0, Math.floor(bytes.length / 2));
  r = await upload(director, '/api/v1/children/import/preview', broken,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'file');
  assert.match(r.json.error.code, /^xlsx_/);
});

test('multipart upload with an explicit mapping', async () => {
  const director = await loginAs('director');
  const community = (await me(director)).org_unit.code;
  const birth = randomBirth();
  const csv = `child,dob,idno,where\n李雷,${birth},${makeId(birth)},${community}\n`;
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), '名单.csv');
  form.append('mapping', JSON.stringify({ name: 'child', birth_date: 'dob', id_number: 'idno', community: 'where' }));
  const res = await fetch(process.env.TH_BASE_URL + '/api/v1/children/import?dry_run=1', {
    method: 'POST', body: form, headers: { Cookie: director.cookie, 'X-CSRF-Token': director.csrf },
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  assert.equal(json.valid, 1, JSON.stringify(json.rejected));
  // Without the mapping the headers are unknown.
  const r = await upload(director, '/api/v1/children/import?dry_run=1', csv);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'missing_columns');
  // A bad mapping names the problem.
  const m = encodeURIComponent(JSON.stringify({ name: 'nope' }));
  const bad = await upload(director, `/api/v1/children/import?dry_run=1&mapping=${m}`, csv);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_mapping');
});

test('export: masked by default, plain only with permission and purpose, audited, scoped', async () => {
  const district = await loginAs('district');
  let res = await fetch(process.env.TH_BASE_URL + '/api/v1/children/export?format=csv&sex=male', {
    headers: { Cookie: district.cookie } });
  assert.equal(res.status, 200);
  const cd = res.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="children_\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/);
  assert.ok(decodeURIComponent(cd.split("UTF-8''")[1]).startsWith('儿童名册_'));
  assert.equal(res.headers.get('x-export-masked'), '1');
  const text = await res.text();
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(lines.pop(), /^导出水印：陈晓红\(district\) \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);  // the pages' watermark, last line
  assert.ok(lines[0].startsWith('姓名,性别,出生日期'));
  assert.ok(lines.length > 1);
  assert.equal(Number(res.headers.get('x-export-rows')), lines.length - 1);
  assert.ok(lines.slice(1).every((l) => !/\d{17}[\dX]/.test(l)), 'no plain ID number in a masked export');
  assert.ok(lines.slice(1).every((l) => l.split(',')[1] === '男'), 'filters apply');

  // Plain needs a purpose...
  let r = await district.get('/api/v1/children/export?format=csv&reveal=1');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'purpose_required');
  // ...and the permission.
  const leader = await loginAs('leader');
  r = await leader.get('/api/v1/children/export?format=csv&reveal=1&purpose=' + encodeURIComponent('核查'));
  assert.equal(r.status, 403);
  const purpose = '年度核查' + Date.now();
  res = await fetch(process.env.TH_BASE_URL + '/api/v1/children/export?format=xlsx&reveal=1&purpose=' +
    encodeURIComponent(purpose), { headers: { Cookie: district.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(res.headers.get('x-export-masked'), '0');
  const xlsx = new Uint8Array(await res.arrayBuffer());
  assert.equal(xlsx[0], 0x50);
  const audit = await district.get('/api/v1/audit?action=child.export&page_size=5');
  assert.equal(audit.status, 200, audit.text);
  const entry = audit.json.items.find((e) => e.purpose === purpose);
  assert.ok(entry, 'export audited with its purpose');
  assert.match(JSON.stringify(entry), /masked/);

  // Scope: a community director exports only their community.
  const director = await loginAs('director');
  const d = await fetch(process.env.TH_BASE_URL + '/api/v1/children/export?format=csv', {
    headers: { Cookie: director.cookie } });
  const dRows = Number(d.headers.get('x-export-rows'));
  const list = await director.get('/api/v1/children?page_size=1');
  assert.equal(dRows, list.json.total);
});

// Minimal GBK encoder for the characters of these fixtures: builds the reverse of TextDecoder('gbk')
// over the two-byte range once.
let gbkTable = null;
function encodeGbk(s) {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([hi, lo]));
        if (ch.length === 1 && !gbkTable.has(ch)) gbkTable.set(ch, [hi, lo]);
      }
    }
  }
  const out = [];
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else {
      const b = gbkTable.get(ch);
      if (!b) throw new Error(`no GBK for ${ch}`);
      out.push(...b);
    }
  }
  return new Uint8Array(out);
}
