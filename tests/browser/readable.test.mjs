// Issue 9 items 15, 17, 18 and 20 in the browser, as a 儿童主任 and her reviewers meet them:
// - 15: the proposal form shows each category's rule verdict and warns when proposing one the rules do not
//   support; the review queue shows verdict and reason.
// - 17: the new-child form brings the first error into view, fills birth date/sex/hukou from a valid ID number,
//   presets her community and herself as 责任儿童主任, and copies the guardian's phone from the family.
// - 18: 变更记录 shows field labels and names; 审计日志 shows Chinese action names and filters by a person's name.
// - 20: at 1366×768 the children, task and audit tables keep 操作 inside the viewport without sideways scrolling.
// Screenshots (docs/screenshots): office-*.png at 1366×768, phone-*.png at 390 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot } from './helpers.mjs'

const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`
const tag = Date.now()

/** A valid GB 11643 number: region, birth YYYY-MM-DD, sex by the 17th digit. */
function idNumber(region, birth, male) {
  const seq = String(((tag % 400) * 2 + (male ? 101 : 100)) % 1000).padStart(3, '0')
  const body = `${region}${birth.replace(/-/g, '')}${seq}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((a, ch, i) => a + Number(ch) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

/** Logs in unless this browser already has a session (tests may run alone with --test-name-pattern). */
async function ensureLogin(page, username) {
  await page.goto('/dashboard')
  await page.waitForLoadState('networkidle').catch(() => {})
  if (new URL(page.url()).pathname.startsWith('/login')) await login(page, username)
}

/** The district uploads a department file naming two unregistered children in the director's community, so the
 * director has open 核查任务 (tasks) with a 操作 button. */
async function seedTasks(community) {
  const district = await apiSession('district')
  const src = await district.post('/screening/sources', {
    name: `表格测试 ${tag}`, dept_type: 'education',
    mapping: { name: '姓名', birth_date: '出生日期', community: '所在社区', school_name: '就读学校', hukou_region_code: '户籍区划' },
  })
  const csv = ['姓名,出生日期,所在社区,就读学校,户籍区划',
    `欧阳魑魅,2014-07-08,${community.code},实验小学,511321`,
    `欧阳魍魉,2013-03-05,${community.code},实验小学,511321`].join('\r\n') + '\r\n'
  const csrf = (await (await district.ctx.get('/api/v1/me')).json()).csrf_token
  const r = await district.ctx.post(`/api/v1/screening/batches?source_id=${src.id}&file_name=tables.csv`, {
    data: Buffer.from(csv, 'utf8'), headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': csrf },
  })
  assert.equal(r.status(), 202, await r.text())
  const id = (await r.json()).id
  for (let i = 0; i < 300; i++) {
    const b = await district.get(`/screening/batches/${id}`)
    if (b.status === 'done' || b.status === 'failed') break
    await new Promise((res) => setTimeout(res, 100))
  }
  await district.close()
}

let director
let supervisor
let admin
let me
let childId = null

before(async () => {
  const api = await apiSession('director')
  me = api.me
  // A child whose parents are alive (father imprisoned, mother missing): 孤儿 is not met, 事实无人抚养 is.
  const birth = `2016-0${(tag % 9) + 1}-1${tag % 10}`
  const c = await api.post('/children', {
    name: `欧阳${['子涵', '雨泽', '书瑶'][tag % 3]}`, sex: 'female', birth_date: birth, id_number: idNumber('440307', birth, false),
    community_id: me.org_unit.id, hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    director_user_id: me.id,
    family: [
      { relation: 'father', name: '欧阳建', state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36 },
      { relation: 'mother', name: '林芳', state: 'missing', state_since: '2024-02-01' },
    ],
    guardian: { name: '欧阳奶奶', relation: 'grandmother', phone: '13800003333' },
  })
  childId = c.id
  await api.close()
  await seedTasks(me.org_unit)
  director = await startBrowser()
  supervisor = await startBrowser()
  admin = await startBrowser()
})
after(async () => {
  await director?.close()
  await supervisor?.close()
  await admin?.close()
})

test('proposal form shows each category\'s rule verdict and warns against the rules; the review queue shows it', async () => {
  const page = await newPage(director.context)
  await ensureLogin(page, 'director')
  await page.goto(`/children/${childId}`)
  await page.locator('[data-test=cf-propose-entry]').click()
  const dlg = page.locator('[data-test=roll-propose-dialog]')
  await dlg.waitFor()
  // The preselected (met) category shows 符合 with the rule's reason.
  await dlg.locator('[data-test=rp-verdict-tag]', { hasText: '符合' }).waitFor()
  assert.match(await dlg.locator('[data-test=rp-verdict]').innerText(), /事实无人抚养儿童/)
  // The options carry each category's verdict.
  await dlg.locator('[data-test=rp-category]').click()
  const orphanOpt = page.locator('[data-test=rp-category-orphan]:visible')
  assert.match(await orphanOpt.innerText(), /不符合/)
  await orphanOpt.click()
  await dlg.locator('[data-test=rp-verdict-tag]', { hasText: '不符合' }).waitFor()
  const warn = dlg.locator('[data-test=rp-against-rules]')
  await warn.waitFor()
  assert.match(await warn.innerText(), /孤儿/)
  await screenshot(page, 'roll-propose-against-rules')
  // Without a reason: the field says why one is needed.
  await dlg.locator('[data-test=rp-submit]').click()
  await dlg.locator('.el-form-item__error', { hasText: '依据' }).waitFor()
  await dlg.locator(textarea('rp-reason')).fill('父母长期失联，申请按孤儿认定，请街道核实')
  await dlg.locator('[data-test=rp-submit]').click()
  await page.locator('[data-test=cf-roll-status]', { hasText: '增员审核中' }).waitFor()

  const sp = await newPage(supervisor.context)
  await login(sp, 'supervisor')
  await sp.locator('[data-test=menu-roll-review]').click()
  const row = sp.locator(`[data-test=roll-table] tr.roll-child-${childId}`).first()
  await row.waitFor()
  // On an office screen the queue keeps 审核通过/退回 on screen.
  await sp.setViewportSize({ width: 1366, height: 768 })
  await assertActionsVisible(sp, '[data-test=roll-table]', '[data-test^=roll-return-]')
  await screenshot(sp, 'office-roll-review')
  await sp.setViewportSize({ width: 1440, height: 900 })
  await row.locator('[data-test^=roll-verdict-]', { hasText: '不符合' }).waitFor()
  assert.match(await row.innerText(), /父母长期失联/)
  await row.locator('[data-test^=roll-return-]').click()
  const act = sp.locator('[data-test=roll-act-dialog]')
  await act.locator('[data-test=roll-act-verdict]').waitFor()
  assert.match(await act.locator('[data-test=roll-act-verdict]').innerText(), /不符合“孤儿”/)
  await screenshot(sp, 'roll-review-verdict')
  await act.locator(textarea('roll-note')).fill('规则判定不符合孤儿，请按事实无人抚养申报')
  await act.locator('[data-test=roll-act-submit]').click()
  await row.waitFor({ state: 'detached' })
})

test('new-child form: first error in view and focused; ID fills birth/sex/hukou; community and director preset; guardian phone copied', async () => {
  const page = await newPage(director.context)
  await ensureLogin(page, 'director')
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto('/children/new')
  await page.locator('[data-test=child-form]').waitFor()
  // The community-level user's own community is preset, and she is the responsible director.
  await page.locator('.el-select[data-test=cf-community]', { hasText: me.org_unit.name }).waitFor()
  await page.locator('.el-select[data-test=cf-director]', { hasText: `本人（${me.display_name}）` }).waitFor()

  // Scroll to the bottom and save with nothing filled in: the first error comes into view with the cursor in it.
  await page.evaluate(() => document.querySelectorAll('.el-main, .el-scrollbar__wrap, html').forEach((e) => (e.scrollTop = 99999)))
  await page.locator('[data-test=cc-submit]').click()
  const nameItem = page.locator('.el-form-item.is-error', { has: page.locator(field('cf-name')) })
  await nameItem.waitFor()
  await page.waitForFunction(() => document.activeElement?.closest('[data-test=cf-name]') || document.activeElement?.matches('[data-test=cf-name]'))
  const box = await nameItem.boundingBox()
  assert.ok(box && box.y >= 0 && box.y + box.height <= 768, `the first error is on screen: ${JSON.stringify(box)}`)
  await screenshot(page, 'office-child-create-errors')

  // A valid ID number fills birth date, sex and hukou region.
  const id = idNumber('511321', '2014-07-09', false)
  await page.locator(field('cf-id-number')).fill(id)
  await page.locator('[data-test=cf-id-filled]').waitFor()
  assert.equal(await page.locator(field('cf-birth-date')).inputValue(), '2014-07-09')
  assert.ok(await page.locator('[data-test=cf-sex-female]').evaluate((el) => el.classList.contains('is-checked')), 'sex female')
  assert.equal(await page.locator(field('cf-hukou-code')).inputValue(), '511321')

  // Choosing the guardian from the family copies the member's phone.
  await page.locator('[data-test=cc-add-member]').click()
  const dlg = page.locator('[data-test=member-dialog]')
  await dlg.waitFor()
  await dlg.locator('[data-test=mf-relation]').click()
  await page.locator('[data-test=mf-relation-grandmother]:visible').click()
  await dlg.locator(field('mf-name')).fill('王外婆')
  await dlg.locator(field('mf-phone')).fill('13912340000')
  await dlg.locator('[data-test=mf-submit]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=gf-pick]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '王外婆' }).click()
  assert.equal(await page.locator(field('gf-name')).inputValue(), '王外婆')
  assert.equal(await page.locator(field('gf-phone')).inputValue(), '13912340000')
})

test('变更记录 shows field labels and names, not keys, codes or ids', async () => {
  const page = await newPage(director.context)
  await ensureLogin(page, 'director')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/children/${childId}?tab=history`)
  await page.locator('.el-tabs__item', { hasText: '变更记录' }).click()
  const hist = page.locator('[data-test=history]')
  await hist.locator('[data-test=history-action]', { hasText: '建档' }).first().waitFor()
  const text = await hist.innerText()
  for (const raw of ['community_id', 'director_user_id', 'hukou_region_code', 'guardian.relation', 'family.', 'agricultural', 'imprisoned', 'grandmother']) {
    assert.ok(!text.includes(raw), `no raw "${raw}" in 变更记录`)
  }
  const community = await hist.locator('[data-test=history-change]', { hasText: '居住社区' }).first().innerText()
  assert.ok(community.includes(me.org_unit.name), `the community by name: ${community}`)
  const dir = await hist.locator('[data-test=history-change]', { hasText: '责任儿童主任' }).first().innerText()
  assert.ok(dir.includes(me.display_name), `the responsible director by name: ${dir}`)
  assert.doesNotMatch(dir, /\b\d+\b/, 'no numeric id')
  assert.match(text, /服刑在押/)
  await screenshot(page, 'children-history')
})

test('审计日志 shows action names from the server and filters by a person\'s name', async () => {
  const page = await newPage(admin.context)
  await page.setViewportSize({ width: 1440, height: 900 })
  await ensureLogin(page, 'admin')
  await page.goto('/system/audit')
  await page.locator('[data-test=audit-table] .el-table__row').first().waitFor()
  const names = await page.locator('[data-test=audit-action-name]').allInnerTexts()
  assert.ok(names.length > 0)
  for (const n of names) assert.doesNotMatch(n, /^[a-z_]+\.[a-z_]+$/, `a name, not a code: ${n}`)
  // Filter by the 儿童主任's name (part of it).
  const part = me.display_name.slice(0, 2)
  await page.locator(field('audit-actor-name')).fill(part)
  await page.locator('[data-test=audit-search]').click()
  await page.waitForFunction((p) => {
    const cells = [...document.querySelectorAll('[data-test=audit-table] [data-test=audit-actor]')]
    return cells.length > 0 && cells.every((c) => c.textContent.includes(p))
  }, part)
  // The action filter lists names, not codes.
  await page.locator('[data-test=audit-action]').click()
  await page.locator('[data-test=audit-action-roll\\.propose]:visible', { hasText: '提出增减员申请' }).waitFor()
  await page.keyboard.press('Escape')
  const text = await page.locator('[data-test=audit-table]').innerText()
  assert.ok(!/[0-9a-f]{64}/.test(text), 'no hashes in the list')
  await screenshot(page, 'audit-readable')
  // Expanded, an entry lists its changes with field labels.
  await page.locator('[data-test=audit-table] .el-table__expand-icon').first().click()
  await page.locator('[data-test=audit-table] [data-test=audit-changes]').first().waitFor()
  // On an office screen nothing scrolls sideways.
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.waitForTimeout(300)
  const over = await page.evaluate(() => {
    const wrap = document.querySelector('[data-test=audit-table] .el-table__body-wrapper .el-scrollbar__wrap')
    const main = document.querySelector('.el-main')
    return Math.max(wrap ? wrap.scrollWidth - wrap.clientWidth : 0, main ? main.scrollWidth - main.clientWidth : 0)
  })
  assert.ok(over <= 1, `audit log fits 1366 without sideways scroll (${over}px)`)
  await screenshot(page, 'office-audit')
})

/** Asserts no horizontal page scroll and that every visible 操作 button of the table lies inside the viewport. */
async function assertActionsVisible(page, tableSel, buttonSel) {
  // Element Plus lays a table out again a little after the viewport changes (its resize handler is
  // throttled): measure until the layout is settled (no sideways scroll), at most 3 s, then assert.
  let r
  for (let i = 0; i < 30; i++) {
    r = await measureActions(page, tableSel, buttonSel)
    if (r.pageScroll <= 0 && r.mainScroll <= 0 && r.tableScroll <= 1 && r.buttons.length > 0) break
    await page.waitForTimeout(100)
  }
  assertLaidOut(r)
}

function measureActions(page, tableSel, buttonSel) {
  return page.evaluate(({ tableSel, buttonSel }) => {
    const vw = window.innerWidth
    const doc = document.scrollingElement
    const btns = [...document.querySelectorAll(`${tableSel} .el-table__body-wrapper ${buttonSel}`)]
      .filter((b) => b.offsetParent !== null)
      .map((b) => {
        const r = b.getBoundingClientRect()
        const cell = b.closest('td').getBoundingClientRect()
        return { left: r.left, right: r.right, top: r.top, width: r.width, cellLeft: cell.left, cellRight: cell.right }
      })
      .filter((r) => r.width > 0)
    const main = document.querySelector('.el-main')
    const wrap = document.querySelector(`${tableSel} .el-table__body-wrapper .el-scrollbar__wrap`)
    return {
      tableScroll: wrap ? wrap.scrollWidth - wrap.clientWidth : 0,
      vw,
      pageScroll: doc.scrollWidth - doc.clientWidth,
      mainScroll: main ? main.scrollWidth - main.clientWidth : 0,
      buttons: btns,
    }
  }, { tableSel, buttonSel })
}

function assertLaidOut(r) {
  assert.ok(r.pageScroll <= 0, `no sideways page scroll (${r.pageScroll}px)`)
  assert.ok(r.mainScroll <= 0, `no sideways scroll of the main area (${r.mainScroll}px)`)
  assert.ok(r.tableScroll <= 1, `every column fits: no sideways scroll inside the table (${r.tableScroll}px)`)
  assert.ok(r.buttons.length > 0, 'some 操作 buttons')
  for (const b of r.buttons) {
    assert.ok(b.left >= 0 && b.right <= r.vw, `操作 inside the viewport: ${JSON.stringify(b)} vw=${r.vw}`)
    assert.ok(b.left >= b.cellLeft && b.right <= b.cellRight + 0.5, `操作 not cut off by its column: ${JSON.stringify(b)}`)
  }
}

test('1366×768: children, task and audit tables keep 序号, name and 操作 on screen; page jumper', async () => {
  const page = await newPage(director.context)
  await ensureLogin(page, 'director')
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto('/children')
  await page.locator('[data-test=children-table] tr.child-row').first().waitFor()
  await assertActionsVisible(page, '[data-test=children-table]', '[data-test^=child-open-]')
  const header = await page.locator('[data-test=children-table] .el-table__header').first().innerText()
  assert.match(header, /序号/)
  assert.match(header, /操作/)
  await page.locator('[data-test=children-pager] .el-pagination__jump').waitFor()
  // The 操作 column is fixed: scrolling the table sideways keeps it (and the name) in view.
  await page.locator('[data-test=children-table] .el-table__fixed-right-patch, [data-test=children-table] .el-table-fixed-column--right').first().waitFor()
  await page.locator('[data-test=children-table] .el-table-fixed-column--left').first().waitFor()
  await screenshot(page, 'office-children')
  await page.locator('[data-test^=child-open-]').first().click()
  await page.waitForURL(/\/children\/\d+$/)

  await page.goto('/screening/tasks')
  await page.locator('[data-test=scr-tasks-table]').waitFor()
  await page.locator('[data-test=scr-tasks-table] .scr-task-row').first().waitFor()
  await assertActionsVisible(page, '[data-test=scr-tasks-table]', '[data-test^=scr-task-record-]')
  assert.match(await page.locator('[data-test=scr-tasks-table] .el-table__header').first().innerText(), /序号/)
  await page.locator('[data-test=scr-tasks-pager] .el-pagination__jump').waitFor()
  await screenshot(page, 'office-tasks')
})

test('390 px phone and 1440 desktop: the children list and the new-child form render', async () => {
  const page = await newPage(director.context)
  await ensureLogin(page, 'director')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/children')
  await page.locator('[data-test=children-table] tr.child-row').first().waitFor()
  await screenshot(page, 'phone-children')
  await page.goto('/children/new')
  await page.locator('[data-test=child-form]').waitFor()
  await screenshot(page, 'phone-child-create')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto('/children/new')
  await page.locator('[data-test=child-form]').waitFor()
  await screenshot(page, 'child-create')
})
