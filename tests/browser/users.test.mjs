// An administrator creates a user from the org tree; the user logs in with the issued password and must change it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, findUnit, findUser } from './helpers.mjs'

let adminBrowser
let userBrowser
let adminApi
const username = `webt${Date.now().toString(36)}`
const newPassword = 'Xinmima2026abc'

before(async () => {
  adminBrowser = await startBrowser()
  userBrowser = await startBrowser()
  adminApi = await apiSession('admin')
})
after(async () => {
  // Clean up: disable the account the test created (users are never deleted: the audit log refers to them).
  try {
    const u = await findUser(adminApi, username)
    if (u && !u.disabled) await adminApi.post(`/users/${u.id}/disable`, {})
  } catch (e) {
    console.error('cleanup failed:', e.message)
  }
  await adminApi?.close()
  await adminBrowser?.close()
  await userBrowser?.close()
})

test('admin creates a user in the org tree; the user is forced to change the issued password', async () => {
  const street = await findUnit(adminApi, '布吉街道')
  assert.ok(street, '布吉街道 exists in the demo data')
  const page = await newPage(adminBrowser.context)
  await login(page, 'admin')
  await page.goto(`/system/org-units/${street.id}`)
  await page.locator('[data-test=org-unit-name]', { hasText: '布吉街道' }).waitFor()
  await page.locator('[data-test=org-add-user]').click()
  const dlg = page.locator('[data-test=user-form-dialog]')
  await dlg.waitFor()
  await dlg.locator(':is(input[data-test=uf-username],[data-test=uf-username] input)').fill(username)
  await dlg.locator(':is(input[data-test=uf-display-name],[data-test=uf-display-name] input)').fill('测试社工')
  await dlg.locator('[data-test=uf-role]').click()
  await page.locator('[data-test=uf-role-social_worker]').click()
  // The org unit is preset to the selected unit.
  assert.match(await dlg.locator('[data-test=uf-org-unit]').innerText(), /布吉街道/)
  await dlg.locator('[data-test=uf-submit]').click()
  const pwEl = page.locator('[data-test=initial-password]')
  await pwEl.waitFor()
  const initial = (await pwEl.innerText()).trim()
  assert.ok(initial.length >= 10, `issued password looks real: ${initial}`)
  await page.locator('[data-test=initial-password-close]').click()
  // The new user is listed under the unit.
  await page.locator('[data-test=org-users-table]', { hasText: username }).waitFor()

  // The new user logs in with the issued password in another browser and lands on the forced change page.
  const up = await newPage(userBrowser.context)
  await login(up, username, initial)
  await up.waitForURL(/\/change-password/)
  await up.locator('[data-test=must-change-alert]').waitFor()
  // Any other page sends them back.
  await up.goto('/dashboard')
  await up.waitForURL(/\/change-password/)
  // A weak password is refused with the server's message on the field.
  await up.locator(':is(input[data-test=pw-old],[data-test=pw-old] input)').fill(initial)
  await up.locator(':is(input[data-test=pw-new],[data-test=pw-new] input)').fill('short1')
  await up.locator(':is(input[data-test=pw-confirm],[data-test=pw-confirm] input)').fill('short1')
  await up.locator('[data-test=pw-submit]').click()
  await up.locator('[data-test=password-form] .el-form-item.is-error').first().waitFor()
  await up.locator(':is(input[data-test=pw-new],[data-test=pw-new] input)').fill(newPassword)
  await up.locator(':is(input[data-test=pw-confirm],[data-test=pw-confirm] input)').fill(newPassword)
  await up.locator('[data-test=pw-submit]').click()
  await up.waitForURL(/\/dashboard/)
  await up.locator('[data-test=dashboard]').waitFor()
  assert.match(await up.locator('[data-test=topbar-jurisdiction]').innerText(), /布吉街道/)
  await up.locator('[data-test=logout]').click()
  await up.waitForURL(/\/login/)

  // The new password works.
  await login(up, username, newPassword)
  await up.locator('[data-test=dashboard]').waitFor()
})
