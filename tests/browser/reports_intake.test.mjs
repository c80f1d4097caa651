// Intake channels in the browser (issue 11): a school's 强制报告责任人 files a mandatory report — the nine
// situations, the child, what was seen, the police report the law requires (refused without it), 民政/教育 told —
// and, once the center closes it, sees the result in 我的报告 and nothing more (未保法 Art 11). A 网格员 files a
// field report on a 390 px phone with a photo. The hotline form shows who is on duty. Screenshots:
// docs/screenshots/reports-mandatory-*.png, reports-mine-*.png, reports-field-390.png, reports-duty-*.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot, screenshotWidths, menuKeys } from './helpers.mjs'

const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`
const tag = Date.now()
const seen = `强制报告测试${tag % 100000}：学生连续三天未到校，家访发现独自在家无人照料。`
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex')
let school, grid, center
let reportId = 0

before(async () => {
  school = await startBrowser()
  grid = await startBrowser()
  center = await startBrowser()
})
after(async () => {
  await school?.close()
  await grid?.close()
  await center?.close()
})

/** Opens `path`, logging in as `user` first when the browser has no session (each test may run alone). */
async function open(page, user, path) {
  await page.goto(path)
  await page.locator('[data-test=login-submit], [data-test=side-menu], [data-test=menu-toggle]').first().waitFor()
  if (new URL(page.url()).pathname.startsWith('/login')) {
    await login(page, user)
    await page.goto(path)
  }
}

/** Types a "YYYY-MM-DD HH:mm" into an Element Plus date-time picker and confirms it. */
async function pickTime(page, name, value) {
  const input = page.locator(field(name))
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}

test('a school reporter files a mandatory report: situations, child, police record required', async () => {
  const page = await newPage(school.context)
  await login(page, 'school')
  const keys = await menuKeys(page)
  assert.ok(keys.includes('report-mandatory') && keys.includes('reports-mine'), `reporter menu: ${keys}`)
  for (const k of ['reports', 'dispatch-orders', 'children', 'duty']) assert.ok(!keys.includes(k), `no ${k} for a reporter: ${keys}`)
  await page.locator('[data-test=menu-report-mandatory]').click()
  await page.waitForURL(/\/reports\/mandatory$/)
  await page.locator('[data-test=report-form-page][data-channel=mandatory]').waitFor()
  await page.locator('[data-test=situation-s6]').click()
  await page.locator(field('rf-child-name')).fill('林小雨')
  await page.locator(field('rf-child-age')).fill('9')
  await page.locator(field('rf-child-school')).fill('布吉中心小学')
  await page.locator(textarea('rf-description')).fill(seen)
  await page.locator(field('rf-place')).fill('布吉街道长龙社区某出租屋')
  await page.locator('[data-test=rf-told-edu]').click()
  // Without the police report the form refuses.
  await page.locator('[data-test=rf-submit]').click()
  await page.locator('[data-test=rf-police-error]').waitFor()
  await screenshotWidths(page, 'reports-mandatory', async (p) => p.locator('[data-test=situations]').waitFor())
  await page.locator('[data-test=rf-police-reported]').click()
  await page.locator(field('rf-police-station')).fill('布吉派出所')
  const now = new Date(Date.now() + 8 * 3600 * 1000 - 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ')
  await pickTime(page, 'rf-police-at', now)
  await page.locator(field('rf-police-receipt')).fill(`JJ${tag % 1000000}`)
  await page.locator('[data-test=rf-submit]').click()
  await page.waitForURL(/\/reports\/\d+$/)
  reportId = Number(page.url().match(/\/reports\/(\d+)$/)[1])
  // The reporter sees the public status of the report, not the center's work on it.
  await page.locator('[data-test=report-status]', { hasText: '已受理' }).waitFor()
  assert.equal(await page.locator('[data-test=report-triage]').count(), 0)
})

test('the center closes it with a reply; the reporter sees the result in 我的报告', async () => {
  assert.ok(reportId, 'filed by the first test')
  const d = await apiSession('district')
  const r = await d.get(`/reports/${reportId}`)
  assert.equal(r.channel, 'mandatory')
  assert.equal(r.police.station, '布吉派出所')
  assert.equal(r.police.reported, true)
  assert.equal(r.told.education, true)
  assert.deepEqual(r.situations.map((s) => s.code ?? s), ['s6'])
  await d.close()
  // The center closes it in the browser (no dispatch needed): outcome and the reply for the school.
  const cpage = await newPage(center.context)
  await open(cpage, 'district', `/reports/${reportId}`)
  await cpage.locator('[data-test=report-close]').click()
  const dlg = cpage.locator('[data-test=close-dialog]')
  await dlg.waitFor()
  await dlg.locator(textarea('close-outcome')).fill('社区儿童主任当日上门，联系到在外务工的父亲，已安排祖母来深照料。')
  const reply = `已核实处置：孩子已由祖母照料，学校请继续关注到校情况。${tag % 1000}`
  await dlg.locator(textarea('close-reply')).fill(reply)
  await dlg.locator('[data-test=close-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await cpage.locator('[data-test=report-status]', { hasText: '已办结' }).waitFor()

  const page = await newPage(school.context)
  await page.goto('/reports/mine')
  const card = page.locator('[data-test=reports-table] tr', { hasText: seen.slice(0, 12) }).first()
  await card.waitFor()
  await card.locator('[data-test=report-result]', { hasText: reply.slice(0, 10) }).waitFor()
  await screenshotWidths(page, 'reports-mine', async (p) => p.locator('[data-test=reports-page]').waitFor())
  await page.goto(`/reports/${reportId}`)
  await page.locator('[data-test=report-result]', { hasText: reply.slice(0, 10) }).waitFor()
  const text = await page.locator('[data-test=report-page]').innerText()
  assert.ok(!text.includes('社区儿童主任当日上门'), 'the reporter sees the reply, not the internal outcome')
})

test('390 px: a 网格员 files a field report from the phone with a photo', async () => {
  const page = await newPage(grid.context)
  await page.setViewportSize({ width: 390, height: 844 })
  await login(page, 'grid')
  await page.locator('[data-test=menu-toggle]').click()
  await page.locator('[data-test=menu-report-new]').click()
  await page.waitForURL(/\/reports\/new$/)
  await page.locator('[data-test=report-form-page][data-channel=field]').waitFor()
  const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
  assert.ok(await noSideways(), 'the field form fits 390 px')
  await page.locator('[data-test=situation-s8]').click()
  await page.locator(field('rf-child-age')).fill('7')
  const text = `走访发现${tag % 100000}：地铁站口两名孩子由成年人带领乞讨。`
  await page.locator(textarea('rf-description')).fill(text)
  await page.locator(field('rf-place')).fill('布吉地铁站 B 出口')
  await page.locator('[data-test=photo-input]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG })
  await page.locator('[data-test=photo-thumb]').waitFor()
  await screenshot(page, 'reports-field-390')
  await page.locator('[data-test=rf-submit]').click()
  await page.waitForURL(/\/reports\/\d+$/)
  await page.locator('[data-test=report-page]').waitFor()
  assert.ok(await noSideways(), 'the report fits 390 px')
  await screenshot(page, 'reports-field-done-390')
  // 我的报告 on the phone: cards.
  await page.goto('/reports/mine')
  await page.locator('[data-test=reports-cards] [data-test=report-row]').first().waitFor()
  assert.ok(await noSideways(), 'my reports fit 390 px')
})

test('the hotline form shows the officer on duty; the roster takes a shift and a handover note', async () => {
  const page = await newPage(center.context)
  await open(page, 'district', '/duty')
  await page.locator('[data-test=duty-page]').waitFor()
  await page.locator('[data-test=duty-add]').click()
  const dlg = page.locator('[data-test=duty-dialog]')
  await dlg.waitFor()
  await dlg.locator('[data-test=duty-user]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '陈晓红' }).first().click()
  await dlg.locator('[data-test=duty-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=duty-current]', { hasText: '陈晓红' }).waitFor()
  await page.locator(textarea('handover-note')).fill(`交接${tag % 1000}：热线接报 2 件，1 件待研判，请下一班跟进。`)
  await page.locator('[data-test=handover-add]').click()
  await page.locator('[data-test=handovers]', { hasText: `交接${tag % 1000}` }).waitFor()
  await screenshotWidths(page, 'reports-duty', async (p) => p.locator('[data-test=duty-page]').waitFor())
  await page.goto('/reports/new')
  await page.locator('[data-test=report-form-page][data-channel=hotline]').waitFor()
  await page.locator('[data-test=duty-now]', { hasText: '陈晓红' }).waitFor()
  await screenshotWidths(page, 'reports-hotline', async (p) => p.locator('[data-test=duty-banner]').waitFor())
})
