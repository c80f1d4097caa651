// Reports and dispatch in the browser, the whole loop (issue 11): someone without an account reports a child on the
// public page (/report) with a photo and gets a tracking code; the district center triages the report in its queue,
// links the child's file found by the registry search, and dispatches it to 区教育局 with instructions; the
// education bureau's liaison (who sees 派单办理 only, never the reporter) accepts the order and feeds back; the center
// makes the return visit (verified, satisfied) and the report is closed. The tracking page shows each public status
// on the way (已受理 → 处理中 → 已办结); the 工作流转单 holds every step and prints on A4.
// Screenshots: docs/screenshots/reports-*.png at 1440, 1366 and 390 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot, screenshotWidths, createChild, menuKeys } from './helpers.mjs'

const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`
const tag = Date.now()
const GIVEN = ['晓雨', '子涵', '浩然', '雨桐', '思远', '嘉怡']
const childName = `欧阳${GIVEN[tag % GIVEN.length]}${'一二三四五六七八'[Math.floor(tag / 7) % 8]}`
const what = `测试${tag % 100000}：小区门口一个孩子连续几晚独自在外，衣着单薄，说家里没人。`
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex')

let pub, center, liaison
let code = ''
let reportId = 0
let orderId = 0
let childId = 0

before(async () => {
  const d = await apiSession('director')
  childId = (await createChild(d, childName, tag)).id
  await d.close()
  pub = await startBrowser()
  center = await startBrowser()
  liaison = await startBrowser()
})
after(async () => {
  await pub?.close()
  await center?.close()
  await liaison?.close()
})

/** The tracking page's status code for the report (status as the server gives it). */
async function tracked() {
  const page = await pub.context.newPage()
  await page.goto(`/report/track?code=${encodeURIComponent(code)}`)
  const st = page.locator('[data-test=track-status]')
  await st.waitFor()
  const out = { status: await st.getAttribute('data-status'), name: (await st.innerText()).trim() }
  await page.close()
  return out
}

test('the public reports a child without an account, with a photo, and gets a tracking code', async () => {
  const page = await newPage(pub.context)
  await page.goto('/report')
  await page.locator('[data-test=public-report]').waitFor()
  // The page is public: no login form, no menu.
  assert.equal(await page.locator('[data-test=side-menu]').count(), 0)
  // Required fields are checked here first.
  await page.locator('[data-test=pub-submit]').click()
  await page.locator('.el-form-item__error', { hasText: '请描述看到的情况' }).waitFor()
  await page.locator(textarea('pub-description')).fill(what)
  await page.locator(field('pub-place')).fill('布吉街道长龙社区幸福路小区东门')
  await page.locator(field('pub-child-name')).fill(childName)
  await page.locator(field('pub-contact-phone')).fill('13912345678')
  // A file that is not an image is refused before anything is sent; a PNG is taken.
  await page.locator('[data-test=photo-input]').setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') })
  await page.locator('[data-test=photo-error]', { hasText: 'JPG 或 PNG' }).waitFor()
  await page.locator('[data-test=photo-input]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG })
  await page.locator('[data-test=photo-thumb]').waitFor()
  await screenshotWidths(page, 'reports-public', async (p) => p.locator('[data-test=pub-submit]').waitFor())
  await page.locator('[data-test=pub-submit]').click()
  await page.locator('[data-test=pub-done]').waitFor()
  code = (await page.locator('[data-test=pub-code]').innerText()).trim()
  assert.ok(code.length >= 6, `a tracking code: ${code}`)
  await page.locator('[data-test=pub-photo-note]', { hasText: '已上传 1 张照片' }).waitFor()
  await page.setViewportSize({ width: 390, height: 844 })
  await screenshot(page, 'reports-public-done-390')
  await page.setViewportSize({ width: 1440, height: 900 })
  // The tracking page shows the status and nothing else.
  await page.locator('[data-test=pub-track-link]').click()
  await page.locator('[data-test=track-status]').waitFor()
  assert.equal(await page.locator('[data-test=track-status]').getAttribute('data-status'), 'received')
  assert.equal((await page.locator('[data-test=track-status]').innerText()).trim(), '已受理')
  const text = await page.locator('[data-test=public-track]').innerText()
  assert.ok(!text.includes('小区门口') && !text.includes(childName), 'tracking shows no content of the report')
  await screenshot(page, 'reports-track')
})

test('the center triages the report: links the child found in the registry, urgency, category', async () => {
  assert.ok(code, 'reported by the first test')
  const page = await newPage(center.context)
  await login(page, 'district')
  const keys = await menuKeys(page)
  for (const k of ['reports', 'report-new', 'dispatch-orders', 'duty', 'dispatch-stats']) assert.ok(keys.includes(k), `district menu has ${k}: ${keys}`)
  assert.ok(!keys.includes('report-mandatory') && !keys.includes('reports-mine'), 'no reporter menus for the center')
  await page.locator('[data-test=menu-reports]').click()
  await page.waitForURL(/\/reports$/)
  // The queue opens on 待研判; the new public report is there.
  const row = page.locator('[data-test=reports-table] tr', { hasText: what.slice(0, 12) }).first()
  await row.waitFor()
  await screenshotWidths(page, 'reports-queue', async (p) => p.locator('[data-test=reports-page]').waitFor())
  await page.locator('[data-test=reports-table] tr', { hasText: what.slice(0, 12) }).first().locator('[data-test=report-link]').click()
  await page.waitForURL(/\/reports\/\d+$/)
  reportId = Number(page.url().match(/\/reports\/(\d+)$/)[1])
  await page.locator('[data-test=report-description]', { hasText: what.slice(0, 12) }).waitFor()
  // The reporter is confidential until revealed with a purpose.
  await page.locator('[data-test=reporter-masked]').waitFor()
  assert.ok(!(await page.locator('[data-test=report-page]').innerText()).includes('13912345678'))
  await page.locator('[data-test=reporter-reveal]').click()
  await page.locator('.reveal-box input').fill('回访核实报告情况')
  await page.locator('.reveal-box .el-button--primary').click()
  await page.locator('[data-test=reporter-value]', { hasText: '13912345678' }).waitFor()

  await page.locator('[data-test=report-triage]').click()
  const dlg = page.locator('[data-test=triage-dialog]')
  await dlg.waitFor()
  // The name in the report finds the file (the registry's search); link it.
  await dlg.locator(`[data-test=triage-pick-${childId}]`).click()
  await dlg.locator('[data-test=triage-picked]', { hasText: childName }).waitFor()
  await dlg.locator('[data-test=triage-urgency-24h]').click()
  await dlg.locator('[data-test=triage-category]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '监护缺失或不当' }).click()
  await dlg.locator(textarea('triage-note')).fill('夜间独处，需教育部门联系学校和家长')
  await screenshot(page, 'reports-triage-1440')
  await dlg.locator('[data-test=triage-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=report-status]', { hasText: '已研判' }).waitFor()
  await page.locator('[data-test=report-child-link]', { hasText: childName }).waitFor()
  const t1 = await tracked()
  assert.deepEqual(t1, { status: 'triaged', name: '已受理' })
})

test('the center dispatches to 区教育局 with instructions', async () => {
  assert.ok(reportId)
  const page = await newPage(center.context)
  await page.goto(`/reports/${reportId}`)
  await page.locator('[data-test=report-dispatch-open]').click()
  const dlg = page.locator('[data-test=dispatch-dialog]')
  await dlg.waitFor()
  await dlg.locator('[data-test=dispatch-lead-agency]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '教育局' }).first().click()
  await dlg.locator(textarea('dispatch-lead-instructions')).fill('请联系孩子所在学校和监护人，核实照料情况，3日内反馈')
  await dlg.locator('[data-test=dispatch-send]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=report-status]', { hasText: '处置中' }).waitFor()
  const link = page.locator('[data-test=report-dispatch] [data-test=order-link]').first()
  await link.waitFor()
  orderId = Number((await link.innerText()).replace('#', ''))
  await page.locator('[data-test=timeline-step][data-action=dispatch]').waitFor()
  await screenshotWidths(page, 'reports-detail', async (p) => p.locator('[data-test=report-dispatch]').waitFor())
  const t2 = await tracked()
  assert.deepEqual(t2, { status: 'dispatched', name: '处理中' })
})

test('the education liaison sees only its orders, accepts and feeds back; never the reporter', async () => {
  assert.ok(orderId)
  const page = await newPage(liaison.context)
  await login(page, 'liaison')
  const keys = await menuKeys(page)
  assert.ok(keys.includes('dispatch-orders'), `liaison menu: ${keys}`)
  assert.ok(!keys.includes('reports') && !keys.includes('report-new') && !keys.includes('duty'), `no report menus for a liaison: ${keys}`)
  await page.locator('[data-test=menu-dispatch-orders]').click()
  await page.waitForURL(/\/dispatch/)
  const row = page.locator(`[data-test=orders-list] [data-test=order-link]`, { hasText: `#${orderId}` })
  await row.waitFor()
  await screenshotWidths(page, 'reports-liaison-queue', async (p) => p.locator('[data-test=orders-page]').waitFor())
  await page.locator(`[data-test=orders-list] [data-test=order-link]`, { hasText: `#${orderId}` }).click()
  await page.waitForURL(new RegExp(`/dispatch/${orderId}$`))
  await page.locator('[data-test=order-state]', { hasText: '待签收' }).waitFor()
  await page.locator('[data-test=order-instructions]', { hasText: '联系孩子所在学校' }).waitFor()
  const body = await page.locator('[data-test=order-page]').innerText()
  assert.ok(!body.includes('13912345678'), 'the department never sees the reporter')
  assert.equal(await page.locator('[data-test=order-report-link]').count(), 0, 'no link to the report for a department')
  await screenshotWidths(page, 'reports-liaison-order', async (p) => p.locator('[data-test=order-actions]').waitFor())
  await page.locator('[data-test=act-accept]').click()
  await page.locator('[data-test=order-state]', { hasText: '办理中' }).waitFor()
  await page.locator('[data-test=act-feedback]').click()
  const dlg = page.locator('[data-test=action-dialog][data-action=feedback]')
  await dlg.waitFor()
  await dlg.locator('[data-test=act-save]').click()
  await dlg.locator('.el-form-item__error', { hasText: '请填写说明' }).waitFor()
  await dlg.locator(textarea('act-note')).fill('已联系学校班主任和孩子父亲，父亲已返家照料，学校安排每日放学后确认到家。')
  await dlg.locator('[data-test=act-file]').setInputFiles({ name: '家访照片.png', mimeType: 'image/png', buffer: PNG })
  await screenshot(page, 'reports-liaison-feedback-1440')
  await dlg.locator('[data-test=act-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=order-state]', { hasText: '已反馈' }).waitFor()
  await page.locator('[data-test=order-attachments] img').waitFor()
  // The report itself stays out of reach of the department (API: 403 or 404).
  const api = await apiSession('liaison')
  const r = await api.ctx.get(`/api/v1/reports/${reportId}`)
  assert.ok([403, 404].includes(r.status()), `liaison GET report: ${r.status()}`)
  await api.close()
  const t3 = await tracked()
  assert.deepEqual(t3, { status: 'feedback', name: '处理中' })
})

test('the center makes the return visit and the report is closed; the 工作流转单 prints', async () => {
  assert.ok(orderId)
  const page = await newPage(center.context)
  await page.goto(`/dispatch/${orderId}`)
  await page.locator('[data-test=act-revisit]').click()
  const dlg = page.locator('[data-test=action-dialog][data-action=revisit]')
  await dlg.waitFor()
  await dlg.locator(field('act-reached')).fill('孩子父亲（电话）')
  await dlg.locator('[data-test=act-satisfied-yes]').click()
  await dlg.locator('[data-test=act-verified-yes]').click()
  await dlg.locator(textarea('act-note')).fill('电话回访父亲，孩子已有人照料，对处理满意。')
  // Closing through the order: the report's outcome and the reply to the reporter (未保法 Art 11).
  await dlg.locator(textarea('act-outcome')).fill('教育部门协调亲属照料，学校每日跟进')
  await dlg.locator(textarea('act-reply')).fill('已核实并妥善处置，感谢您的报告')
  await dlg.locator('[data-test=act-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=order-state]', { hasText: '已办结' }).waitFor()
  const t4 = await tracked()
  assert.deepEqual(t4, { status: 'closed', name: '已办结' })
  const api = await apiSession('district')
  const closed = await api.get(`/reports/${reportId}`)
  await api.close()
  assert.equal(closed.outcome, '教育部门协调亲属照料，学校每日跟进')
  assert.equal(closed.reply_to_reporter, '已核实并妥善处置，感谢您的报告')

  await page.goto(`/reports/${reportId}`)
  await page.locator('[data-test=report-status]', { hasText: '已办结' }).waitFor()
  for (const a of ['dispatch', 'accept', 'feedback', 'revisit']) await page.locator(`[data-test=timeline-step][data-action=${a}]`).first().waitFor()
  // The child's file lists the report (报告 tab) and its order.
  await page.goto(`/children/${childId}?tab=reports`)
  await page.locator('[data-test=child-reports] [data-test=child-report-link]', { hasText: `#${reportId}` }).waitFor()
  await page.locator('[data-test=child-orders] [data-test=order-link]', { hasText: `#${orderId}` }).waitFor()
  await screenshot(page, 'reports-child-tab-1440')
  // A4 工作流转单: every step, never the reporter.
  await page.goto(`/reports/${reportId}/print`)
  await page.locator('[data-test=print-sheet]').waitFor()
  await page.locator('[data-test=print-timeline] tbody tr').nth(3).waitFor()
  const sheet = await page.locator('[data-test=print-sheet]').innerText()
  assert.ok(sheet.includes('未成年人保护工作流转单') && sheet.includes('教育局'), 'the sheet names the work and the department')
  assert.ok(!sheet.includes('13912345678'), 'the reporter is never printed')
  await screenshotWidths(page, 'reports-print', async (p) => p.locator('[data-test=print-sheet]').waitFor())
})

test('statistics: the department row counts the order; the XLSX downloads', async () => {
  const page = await newPage(center.context)
  await page.goto('/dispatch/stats')
  const table = page.locator('[data-test=stats-table]')
  await table.locator('tr', { hasText: '教育局' }).first().waitFor()
  await page.locator('[data-test=stats-rates-chart] canvas').waitFor()
  await screenshotWidths(page, 'reports-stats', async (p) => p.locator('[data-test=stats-table]').waitFor())
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=stats-export]').click()])
  assert.match(dl.suggestedFilename(), /\.xlsx$/)
})
