// Issue 9 items 14, 16, 19 over real HTTP: search while typing (prefixes of pinyin and initials,
// the given name's initials, parts of the guardian's name); a child who flowed in with her
// grandmother is 流动 here and not 留守; category reasons name places, not codes, and rule ids
// come with words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, makeId, randomBirth } from './client.mjs';

async function create(director, body) {
  const me = (await director.get('/api/v1/me')).json;
  const birth = body.birth_date || randomBirth();
  const r = await director.post('/api/v1/children', {
    sex: 'female', birth_date: birth, id_number: makeId(birth, false), community_id: me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local', ...body,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const parentsAway = [
  { relation: 'father', name: '濮建军', state: 'working_away', state_since: '2022-03-01', work_city: '东莞' },
  { relation: 'mother', name: '滕小红', state: 'working_away', state_since: '2022-03-01', work_city: '佛山' },
];

test('search while typing finds a child by every prefix of her pinyin, her initials and her guardian', async () => {
  const director = await loginAs('director');
  const file = await create(director, {
    name: '张紫薇', family: parentsAway, guardian: { name: '濮阳秀英', relation: 'grandmother', phone: '13800002222' },
  });
  const found = async (q) => {
    const r = await director.get(`/api/v1/children?q=${encodeURIComponent(q)}&page_size=50`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.some((c) => c.id === file.id);
  };
  // The newest change ranks first among prefix matches, so the new file is on the first page.
  for (const q of ['张紫', 'z', 'zh', 'zhang', 'zhangz', 'zhangziwe', 'zw', 'zzw', 'zz', 'ZW', '紫薇', '濮阳', '秀英', '濮阳秀英']) {
    assert.ok(await found(q), `q=${q}`);
  }
  for (const q of ['zhangzw', 'zx', 'zhangziweii', '阳秀英']) assert.ok(!(await found(q)), `q=${q} must not match`);
});

test('a girl who flowed in with her grandmother, parents working away: 流动 here, not 留守; reasons in places', async () => {
  const director = await loginAs('director');
  const file = await create(director, {
    name: '濮思雨', birth_date: '2016-05-06', id_number: makeId('2016-05-06', false, '430524'),
    hukou_region_code: '430524', flow_status: 'inflow',
    resident_since: '2021-09-01', family: parentsAway,
    guardian: { name: '濮奶奶', relation: 'grandmother', phone: '13800003333' },
  });
  const v = Object.fromEntries(file.category_verdicts.map((x) => [x.code, x]));
  assert.equal(v.migrant.met, true, v.migrant.reason);
  assert.equal(v.left_behind.met, false, v.left_behind.reason);
  assert.match(v.migrant.reason, /户籍地湖南省隆回县/);
  assert.match(v.migrant.reason, /深圳市龙岗区/);
  assert.match(v.left_behind.reason, /不在户籍地居住/);
  assert.ok(file.categories.includes('migrant') && !file.categories.includes('left_behind'), file.categories);
  for (const x of file.category_verdicts) {
    assert.doesNotMatch(x.reason || '', /\d{6}/, `${x.code}: ${x.reason}`);
    assert.doesNotMatch(x.reason || '', /[a-z_]{3,}/, `${x.code}: ${x.reason}`);
    if (x.rule_id) {
      assert.ok(x.rule_name && !/[a-z_]/.test(x.rule_name), `${x.code}: rule_name ${x.rule_name}`);
      assert.ok(x.rule_name_en && x.rule_name_en !== x.rule_id, `${x.code}: rule_name_en ${x.rule_name_en}`);
    }
  }
  // At her hukou place with both parents away she is 留守 and not 流动.
  const home = await create(director, { name: '濮思琪', birth_date: '2016-05-06', family: parentsAway,
    guardian: { name: '濮奶奶', relation: 'grandmother', phone: '13800003333' } });
  const h = Object.fromEntries(home.category_verdicts.map((x) => [x.code, x]));
  assert.equal(h.left_behind.met, true, h.left_behind.reason);
  assert.equal(h.migrant.met, false, h.migrant.reason);
  assert.match(h.left_behind.reason, /在户籍地深圳市龙岗区居住/);
});

test('screening statistics are named plainly, not after one city', async () => {
  const { readFileSync } = await import('node:fs');
  for (const f of ['i18n.zh-CN.ts', 'i18n.en.ts']) {
    const text = readFileSync(new URL(`../../web/src/modules/screening/${f}`, import.meta.url), 'utf8');
    assert.doesNotMatch(text, /仪征|Yizheng|口径/, f);
  }
});
