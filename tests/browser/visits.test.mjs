// 走访 in the browser: the 儿童主任's due list (table at 1440/1366 px, cards at 390 px), recording a visit on a
// 390 px phone from an overdue child's card (the work item closes, the next due date moves), the child file's
// 走访 tab with the new visit, and the statistics. Screenshots: visits-due-*, visits-record-*, visits-history-*,
// visits-stats-* at 1440, 1366 and 390 px (docs/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot, screenshotWidths } from './helpers.mjs'

let browser
let child
const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)

before(async () => {
  const d = await apiSession('director')
  const due = await d.get('/visits/due?overdue_days=1&page_size=50')
  await d.close()
  child = due.items[0]
  assert.ok(child, 'the demo has an overdue visit in the director\'s community')
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)

test('due list at three widths, a visit recorded on a 390 px phone, the 走访 tab and the statistics', async () => {
  const page = await newPage(browser.context)
  await page.setViewportSize({ width: 1440, height: 900 })
  await login(page, 'director')
  await page.goto('/visits')
  await page.locator('[data-test=visits-due-list] .el-table__row').first().waitFor()
  // Overdue rows are marked, and every row has a grade tag.
  assert.ok((await page.locator('[data-test=visits-due-list] [data-test=due-overdue]').count()) > 0)
  await screenshotWidths(page, 'visits-due', async (p) => {
    const w = p.viewportSize().width
    await p.locator(w < 768 ? '[data-test=visits-cards] [data-test=visit-due-row]' : '[data-test=visits-due-list] .el-table__row').first().waitFor()
    assert.ok(await noSideways(p), `the due list fits ${w} px`)
  })
  // The grade filter narrows the list to that grade.
  await page.locator('[data-test=visits-grade-red]').click()
  await page.waitForTimeout(600)
  const grades = await page.locator('[data-test=visits-due-list] [data-grade]').evaluateAll((els) => els.map((e) => e.getAttribute('data-grade')))
  assert.ok(grades.every((g) => g === 'red'), grades.join(','))

  // The record form at three widths, then on a phone: from the overdue child's card.
  await page.goto(`/visits/record/${child.child_id}`)
  await page.locator('[data-test=visit-form-child]').waitFor()
  await screenshotWidths(page, 'visits-record', async (p) => {
    await p.locator('[data-test=vf-save]').waitFor()
    assert.ok(await noSideways(p), `the form fits ${p.viewportSize().width} px`)
  })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/visits?')
  const card = page.locator(`[data-test=visits-cards] [data-test=visit-due-row][data-child="${child.child_id}"]`)
  await page.locator('[data-test=visits-overdue]').click()
  await card.waitFor()
  await card.locator('[data-test=visit-record-btn]').click()
  await page.waitForURL(new RegExp(`/visits/record/${child.child_id}$`))
  await page.locator('[data-test=visit-form-child]').waitFor()
  assert.ok((await page.locator('[data-test=visit-form-child]').innerText()).includes(child.child_name))
  // The report link carries the child's name to the reports module's form.
  assert.ok((await page.locator('[data-test=visit-raise-report]').getAttribute('href')).includes('/reports/new?'))
  // 发起预警 leads to the child file's 预警 tab, where the worker raises one by hand.
  assert.ok((await page.locator('[data-test=visit-raise-warning]').getAttribute('href')).endsWith(`/children/${child.child_id}?tab=warnings`))
  // Saving without the three assessments names them.
  await page.locator('[data-test=vf-save]').click()
  await page.locator('.el-form-item__error').first().waitFor()
  await page.locator('[data-test=vf-child_state-fair]').click()
  await page.locator('[data-test=vf-home_state-good]').click()
  await page.locator('[data-test=vf-guardian_care-fair]').click()
  await page.locator('[data-test=vf-child-note]').fill('孩子精神尚可，近期睡眠不好')
  await page.locator('[data-test=vf-need-health]').click()
  await page.locator('[data-test=vf-follow-ups]').fill('下周联系学校心理老师')
  await page.locator('[data-test=vf-photo-input]').setInputFiles({ name: 'home.png', mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex') })
  await page.locator('[data-test=vf-photo]').waitFor()
  // A file that is not an image is refused before upload.
  await page.locator('[data-test=vf-photo-input]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('x') })
  await page.getByText('照片须为 JPG、PNG 或 WebP 图片').waitFor()
  assert.equal(await page.locator('[data-test=vf-photo]').count(), 1)
  assert.ok(await noSideways(page), 'the filled form fits 390 px')
  await screenshot(page, 'visits-record-filled-390')
  await page.locator('[data-test=vf-save]').click()
  await page.waitForURL(new RegExp(`/children/${child.child_id}$`))

  // The schedule moved and the work item closed.
  const d = await apiSession('director')
  const s = (await d.get(`/children/${child.child_id}/visit-schedule`)).schedule
  assert.equal(s.last_visit_on, today)
  assert.equal(s.overdue, false)
  const inbox = await d.get('/inbox?kind=visit_due&page_size=200')
  assert.equal(inbox.items.some((i) => i.link === `/visits/record/${child.child_id}`), false, 'the visit_due item closed')
  await d.close()

  // The child file's 走访 tab shows the visit with its photo.
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.locator('#tab-visits').click()
  await page.locator('[data-test=child-visit]').first().waitFor()
  assert.ok((await page.locator('[data-test=child-visit]').first().innerText()).includes('下周联系学校心理老师'))
  await page.locator('[data-test=child-visits] img.thumb').first().waitFor()
  await screenshotWidths(page, 'visits-history', async (p) => {
    await p.locator('[data-test=child-visit]').first().waitFor()
  })

  // Statistics by grade and month.
  await page.goto('/visits/stats')
  await page.locator('[data-test=visits-stats-row]').first().waitFor()
  await screenshotWidths(page, 'visits-stats', async (p) => {
    await p.locator('[data-test=visits-stats-row]').first().waitFor()
  })
  await page.close()
})
