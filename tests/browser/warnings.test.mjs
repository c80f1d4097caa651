// 预警 in the browser: the 儿童主任 sees her community's warnings (coloured by severity) on the 预警 page and on
// the 工作台 card, opens one, reads the reason in words and handles it with a note; the child file's 预警 tab lists
// it; the page fits 1366 and 390 px. Screenshots: warnings-list-1440, warnings-detail-1440, warnings-list-1366,
// warnings-child-tab-1440, warnings-workbench-1440, warnings-list-390, warnings-detail-390.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, screenshot } from './helpers.mjs'

let browser
before(async () => {
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)

test('1440 / 1366: the list, the 工作台 card, the detail with the handle form, the child tab', async () => {
  const page = await newPage(browser.context)
  await login(page, 'director')
  await page.locator('[data-test=wb-card-warnings]').waitFor()
  await screenshot(page, 'warnings-workbench-1440')
  await page.goto('/warnings')
  await page.locator('[data-test=warnings-list] [data-test=warning-reason]').first().waitFor()
  await screenshot(page, 'warnings-list-1440')
  const reason = await page.locator('[data-test=warning-reason]').first().textContent()
  assert.ok(reason && reason.length > 4)
  await page.setViewportSize({ width: 1366, height: 800 })
  assert.ok(await noSideways(page))
  await screenshot(page, 'warnings-list-1366')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.locator('[data-test=warning-open]').first().click()
  await page.locator('[data-test=warning-detail-reason]').waitFor()
  assert.equal((await page.locator('[data-test=warning-detail-reason]').textContent()).trim(), reason.trim())
  await page.locator(':is(textarea[data-test=warning-note],[data-test=warning-note] textarea)').fill('已入户核实，监护人在家，孩子状况良好')
  await screenshot(page, 'warnings-detail-1440')
  await page.locator('[data-test=warning-submit]').click()
  await page.locator('[data-test=warning-close-note]').waitFor()
  assert.match(await page.locator('[data-test=warning-close-note]').textContent(), /已入户核实/)
  const childLink = await page.locator('a[href^="/children/"]').first().getAttribute('href')
  await page.goto(childLink)
  await page.locator('#tab-warnings').click()
  await page.locator('[data-test=child-warning]').first().waitFor()
  await screenshot(page, 'warnings-child-tab-1440')
})

test('390 px: cards, the detail fits', async () => {
  const page = await newPage(browser.context)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/warnings')
  await page.locator('[data-test=warnings-cards] [data-test=warning-row]').first().waitFor()
  assert.ok(await noSideways(page), 'the list fits 390 px')
  await screenshot(page, 'warnings-list-390')
  await page.locator('[data-test=warning-row]').first().click()
  await page.locator('[data-test=warning-detail-reason]').waitFor()
  assert.ok(await noSideways(page), 'the detail fits 390 px')
  await screenshot(page, 'warnings-detail-390')
})
