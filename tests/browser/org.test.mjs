// Org-unit management from the tree: add a community under a street, rename it, retire it (which also cleans up);
// a leader sees the same pages read-only.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, findUnit } from './helpers.mjs'

let browser
let street
const code = `4403070019${String(Date.now() % 90 + 10)}`
const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`

before(async () => {
  const api = await apiSession('admin')
  street = await findUnit(api, '布吉街道')
  await api.close()
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

test('admin adds, renames and retires a community in the org tree', async () => {
  const page = await newPage(browser.context)
  await login(page, 'admin')
  await page.goto(`/system/org-units/${street.id}`)
  await page.locator('[data-test=org-unit-name]', { hasText: '布吉街道' }).waitFor()

  // A bad code is refused with the message on the code field.
  await page.locator('[data-test=org-add-child]').click()
  await page.locator(field('org-code')).fill('12345')
  await page.locator(field('org-name')).fill('测试新社区')
  await page.locator('[data-test=org-dialog-submit]').click()
  await page.locator('[data-test=org-dialog] .el-form-item.is-error').first().waitFor()

  await page.locator(field('org-code')).fill(code)
  await page.locator('[data-test=org-dialog-submit]').click()
  const node = page.locator(`[data-test=org-node-${code}]`)
  await node.waitFor()
  await node.click()
  await page.locator('[data-test=org-unit-name]', { hasText: '测试新社区' }).waitFor()
  assert.equal((await page.locator('[data-test=org-unit-code]').innerText()).trim(), code)

  await page.locator('[data-test=org-rename]').click()
  await page.locator(field('org-name')).fill('测试改名社区')
  await page.locator('[data-test=org-dialog-submit]').click()
  await page.locator('[data-test=org-unit-name]', { hasText: '测试改名社区' }).waitFor()
  await page.locator(`[data-test=org-node-${code}]`, { hasText: '测试改名社区' }).waitFor()

  await page.locator('[data-test=org-retire]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-test=org-tree]').waitFor()
  await page.waitForFunction((c) => !document.querySelector(`[data-test=org-node-${c}]`), code)
})

test('leader sees org units and users read-only', async () => {
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await login(page, 'leader')
  await page.goto(`/system/org-units/${street.id}`)
  await page.locator('[data-test=org-unit-name]', { hasText: '布吉街道' }).waitFor()
  for (const b of ['org-add-child', 'org-rename', 'org-move', 'org-retire', 'org-import', 'org-add-user']) {
    assert.equal(await page.locator(`[data-test=${b}]`).count(), 0, `leader has no ${b}`)
  }
  await page.goto('/system/users')
  await page.locator('[data-test=users-table] .el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=users-create]').count(), 0)
  assert.equal(await page.locator('[data-test=user-edit]').count(), 0)
})
