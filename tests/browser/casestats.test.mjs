// Case statistics and the case page's links in the browser (issue 12): a 儿童主任 sees the 个案概况 card on the 工作台
// and the 个案统计 page (table, grade chart, visits by grade); the district sees its streets and exports; the street
// supervisor assigns a case's worker with the picker (no raw user id) and sees the case's 个案会商 section with
// 从本个案召集会商, which opens the convene form with the case picked.
// Screenshots: docs/screenshots/case-stats-{1440,1366,390}.png, workbench-casestats-*.png, case-assign-*.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshotWidths } from './helpers.mjs'

let b
before(async () => { b = await startBrowser() })
after(async () => { await b?.close() })

test('a 儿童主任 sees the card and the statistics of the community', async () => {
  const p = await newPage(b.context)
  await login(p, 'director')
  await p.goto('/')
  const card = p.locator('[data-test=wb-card-casestats]')
  await card.waitFor()
  assert.match(await card.textContent(), /在办个案/)
  await screenshotWidths(p, 'workbench-casestats', async (pg) => pg.locator('[data-test=wb-card-casestats]').scrollIntoViewIfNeeded())
  await card.locator('[data-test=wb-card-casestats-more]').click()
  await p.locator('[data-test=case-stats-page]').waitFor()
  const table = p.locator('[data-test=cst-table]')
  await table.locator('.el-table__row').first().waitFor()
  const text = await table.textContent()
  assert.match(text, /社区/)
  assert.match(text, /合计/)
  await p.locator('[data-test=cst-grade-chart] canvas').first().waitFor()
  await screenshotWidths(p, 'case-stats')
})

test('the district sees its streets and exports the workbook', async () => {
  const p = await newPage(b.context)
  await p.context().clearCookies()
  await login(p, 'district')
  await p.goto('/case-stats')
  const table = p.locator('[data-test=cst-table]')
  await table.locator('.el-table__row').first().waitFor()
  const text = await table.textContent()
  assert.match(text, /布吉街道/)
  assert.match(text, /坂田街道/)
  const [dl] = await Promise.all([p.waitForEvent('download'), p.locator('[data-test=cst-export]').click()])
  assert.match(dl.suggestedFilename(), /^case_stats_.*\.xlsx$/)
  await screenshotWidths(p, 'case-stats-district')
})

test('the supervisor assigns a worker with the picker and convenes from the case', async () => {
  const s = await apiSession('supervisor')
  const cases = await s.get('/cases?page_size=50')
  const k = cases.items.map((x) => x.case ?? x).find((x) => x.status !== 'closed')
  assert.ok(k, 'an open case of the street')
  await s.close()
  const p = await newPage(b.context)
  await p.context().clearCookies()
  await login(p, 'supervisor')
  await p.goto(`/cases/${k.id}`)
  await p.locator('[data-test=case-page]').waitFor()
  await p.locator('[data-test=case-conferences]').waitFor()
  await p.locator('[data-test=case-act-assign]').click()
  await p.locator('[data-test=assign-worker]').click()
  const options = p.locator('.el-select-dropdown__item:visible')
  await options.first().waitFor()
  const names = await options.allTextContents()
  assert.ok(names.some((n) => n.includes('周敏')), names.join(','))
  assert.ok(!names.some((n) => n.includes('张丽娟')))
  await screenshotWidths(p, 'case-assign')
  await options.filter({ hasText: '周敏' }).first().click()
  await p.locator('[data-test=assign-save]').click()
  await p.locator('[data-test=assign-dialog]').waitFor({ state: 'hidden' })
  assert.match(await p.locator('[data-test=case-page]').textContent(), /周敏/)
  await p.locator('[data-test=case-convene]').click()
  await p.locator('[data-test=convene-page]').waitFor()
  await p.locator('[data-test=convene-case]').waitFor()
  assert.match(await p.locator('[data-test=convene-case]').textContent(), new RegExp(`#${k.id}`))
})
