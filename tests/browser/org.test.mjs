// Org-unit management from the tree: add a community under a street, rename it, retire it (which also cleans up);
// a leader sees the same pages read-only.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, findUnit, screenshot } from './helpers.mjs'

let browser
let street
let importCode
const code = `4403070019${String(Date.now() % 90 + 10)}`
const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`

before(async () => {
  const api = await apiSession('admin')
  street = await findUnit(api, '布吉街道')
  // A community code under 布吉街道 that no earlier run imported.
  for (;;) {
    importCode = `4403070018${String(Math.floor(Math.random() * 90) + 10)}`
    if ((await api.get(`/org-units?q=${importCode}`)).total === 0) break
  }
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

test('admin imports communities with the upload + column mapping dialog: preview, mapping, dry run, import', async () => {
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await login(page, 'admin')
  await page.goto(`/system/org-units/${street.id}`)
  await page.locator('[data-test=org-unit-name]', { hasText: '布吉街道' }).waitFor()
  await page.locator('[data-test=org-import]').click()
  const dlg = page.locator('[data-test=org-import-dialog]')
  await dlg.waitFor()
  // 所属上级 is no known header: the parent column is mapped by hand. The second row has a bad code.
  const bad = `单位名称,区划代码,所属上级\r\n导入测试社区,${importCode},${street.code}\r\n坏代码社区,4403070018XY,${street.code}\r\n`
  await dlg.locator('[data-test=org-import-file]').setInputFiles({ name: '社区.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') })
  await dlg.locator('[data-test=org-import-info]', { hasText: '社区.csv' }).waitFor()
  await dlg.locator('[data-test=org-import-sample]', { hasText: '导入测试社区' }).waitFor()
  assert.match(await dlg.locator('[data-test=org-map-code]').innerText(), /区划代码/)
  assert.match(await dlg.locator('[data-test=org-map-name]').innerText(), /单位名称/)
  await dlg.locator('[data-test=org-map-parent_code]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '所属上级' }).click()
  assert.match(await dlg.locator('[data-test=org-map-parent_code]').innerText(), /所属上级/)
  // The dry run lists the bad row; nothing can be imported yet.
  await dlg.locator('[data-test=org-import-dry-run]').click()
  const rejected = dlg.locator('[data-test=org-import-rejected]')
  await rejected.waitFor()
  assert.match(await rejected.innerText(), /\b3\b/, 'line 3 is reported')
  assert.ok(await dlg.locator('[data-test=org-import-submit]').isDisabled())
  await screenshot(page, 'org-import')
  // The corrected file, mapped again by hand: the dry run passes and the import creates the community.
  const good = `单位名称,区划代码,所属上级\r\n导入测试社区,${importCode},${street.code}\r\n`
  await dlg.locator('[data-test=org-import-file]').setInputFiles({ name: '社区2.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') })
  await dlg.locator('[data-test=org-import-info]', { hasText: '社区2.csv' }).waitFor()
  await dlg.locator('[data-test=org-map-parent_code]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '所属上级' }).click()
  await dlg.locator('[data-test=org-import-dry-run]').click()
  await dlg.locator('[data-test=org-import-verdict]', { hasText: '预检通过' }).waitFor()
  await dlg.locator('[data-test=org-import-submit]:not([disabled])').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator(`[data-test=org-node-${importCode}]`, { hasText: '导入测试社区' }).waitFor()
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
