// Issue 11 gaps in the browser: (1) the report categories and situations come from the server's config
// (GET /report-options), not from the web app's own lists: a province whose config has another category sees it
// in the triage dialog and the queue's filter, and its situations on the form; (2) the 工作台 of 区民政 and 领导
// shows the dispatch card (slot workbench.cards) with this month's orders, 待研判, overdue orders and the on-time
// rates, the same numbers as GET /dispatch/stats and the reports list.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot } from './helpers.mjs'

const tag = Date.now()
let browser
let reportId = 0

// The server's options with one more category and situation, as a province's own config would give.
async function provinceConfig(page) {
  await page.route('**/api/v1/report-options', async (route) => {
    const res = await route.fetch()
    const body = await res.json()
    body.categories.push({ code: 'trafficking', name: '拐卖（省配置）', sensitive: true })
    body.situations.push({ code: 's10', name: '省配置的第十种情形', urgent: true })
    await route.fulfill({ response: res, json: body })
  })
}

before(async () => {
  const d = await apiSession('district')
  const r = await d.post('/reports', { channel: 'hotline', description: `配置测试${tag % 100000}：孩子夜间独自在街头。`, place: '布吉街道某路口', situations: ['s6'], anonymous: true })
  reportId = r.id
  await d.close()
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

test('the categories and situations come from the server\'s config', async () => {
  const page = await newPage(browser.context)
  await provinceConfig(page)
  await login(page, 'district')
  await page.goto(`/reports/${reportId}`)
  await page.locator('[data-test=report-triage]').click()
  const dlg = page.locator('[data-test=triage-dialog]')
  await dlg.waitFor()
  await dlg.locator('[data-test=triage-category]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '拐卖（省配置）' }).waitFor()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '监护缺失或不当' }).waitFor()
  await screenshot(page, 'reports-config-triage-1440')
  await page.keyboard.press('Escape')
  // The staff form's checklist shows the configured situations, the urgent mark from the config.
  await page.goto('/reports/new')
  const extra = page.locator('[data-test=situation-s10]')
  await extra.waitFor()
  assert.match(await extra.innerText(), /省配置的第十种情形/)
  assert.match(await extra.innerText(), /紧急/)
})

test('区民政 and 领导 see the dispatch card on the 工作台 with the statistics\' numbers', async () => {
  const api = await apiSession('district')
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  const tomorrow = new Date(Date.now() + 32 * 3600 * 1000).toISOString().slice(0, 10)
  const stats = await api.get(`/dispatch/stats?from=${today.slice(0, 8)}01&to=${tomorrow}&by=month`)
  const triage = await api.get('/reports?status=received&page_size=1')
  await api.close()
  for (const user of ['district', 'leader']) {
    await browser.context.clearCookies()
    const page = await newPage(browser.context)
    await page.setViewportSize({ width: 1440, height: 900 })
    await login(page, user)
    const card = page.locator('[data-test=wb-card-dispatch]')
    await card.waitFor()
    const num = async (t) => (await card.locator(`[data-test=wb-dsp-${t}] b`).innerText()).trim()
    assert.equal(await num('received'), String(stats.total.received), user)
    assert.equal(await num('overdue'), String(stats.total.overdue_now), user)
    assert.equal(await num('triage'), String(triage.total), user)
    const rate = stats.total.on_time_accept_rate
    assert.equal(await num('accept-rate'), rate === null ? '—' : `${(rate * 100).toFixed(1)}%`, user)
    await screenshot(page, `workbench-dispatch-card-${user}-1440`)
    await page.close()
  }
  // A 儿童主任 (no stats.read) gets no card.
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await login(page, 'director')
  await page.locator('[data-test=dashboard]').waitFor()
  await page.waitForTimeout(500)
  assert.equal(await page.locator('[data-test=wb-card-dispatch]').count(), 0)
})
