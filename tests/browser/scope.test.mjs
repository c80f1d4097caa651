// A street supervisor (布吉街道) cannot open a user or unit outside 布吉: the page shows "不存在" (404 from the server).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, findUnit, findUser } from './helpers.mjs'

let browser
let adminApi
let ids = {}

before(async () => {
  adminApi = await apiSession('admin')
  const d2 = await findUser(adminApi, 'director2')
  const d1 = await findUser(adminApi, 'director')
  const bantian = await findUnit(adminApi, '坂田街道')
  const buji = await findUnit(adminApi, '布吉街道')
  ids = { director2: d2?.id, director: d1?.id, bantian: bantian?.id, buji: buji?.id }
  await adminApi.close()
  adminApi = null
  browser = await startBrowser()
})
after(async () => {
  await adminApi?.close()
  await browser?.close()
})

test('supervisor of 布吉街道 gets not-found for a user and a unit outside 布吉', async () => {
  for (const [k, v] of Object.entries(ids)) assert.ok(v, `demo data has ${k}`)
  const page = await newPage(browser.context)
  await login(page, 'supervisor')
  await page.locator('[data-test=dashboard]').waitFor()
  assert.match(await page.locator('[data-test=topbar-jurisdiction]').innerText(), /布吉街道/)

  // Inside the jurisdiction: visible.
  await page.goto(`/system/users/${ids.director}`)
  await page.locator('[data-test=user-detail]', { hasText: 'director' }).waitFor()

  // Outside: not found, and nothing of the record shown.
  await page.goto(`/system/users/${ids.director2}`)
  const nf = page.locator('[data-test=record-not-found]')
  await nf.waitFor()
  assert.match(await nf.innerText(), /不存在/)
  assert.equal(await page.locator('[data-test=user-detail]').count(), 0)

  await page.goto(`/system/org-units/${ids.buji}`)
  await page.locator('[data-test=org-unit-name]', { hasText: '布吉街道' }).waitFor()

  await page.goto(`/system/org-units/${ids.bantian}`)
  await page.locator('[data-test=record-not-found]').waitFor()
  assert.match(await page.locator('[data-test=record-not-found]').innerText(), /不存在/)
  assert.equal(await page.locator('[data-test=org-unit-name]').count(), 0)
  // The tree starts at the supervisor's own street, not the district.
  const rootText = await page.locator('[data-test=org-tree] .el-tree-node__content').first().innerText()
  assert.match(rootText, /布吉街道/)
})
