// Login, menus per role, jurisdiction in the top bar, language switch, wrong password, main-page screenshots.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, menuKeys, menuLabels, screenshot, DEMO_PASSWORD } from './helpers.mjs'

let browser
before(async () => {
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

async function freshPage() {
  // Each test starts logged out with the default language.
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await page.goto('/login')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  return page
}

test('wrong password shows the server error on the login page', async () => {
  const page = await freshPage()
  await page.locator('[data-test=login-username]').waitFor()
  await screenshot(page, 'login')
  await page.locator(':is(input[data-test=login-username],[data-test=login-username] input)').fill('admin')
  await page.locator(':is(input[data-test=login-password],[data-test=login-password] input)').fill('not-the-password-1')
  await page.locator('[data-test=login-submit]').click()
  const err = page.locator('[data-test=login-error]')
  await err.waitFor()
  const text = (await err.innerText()).trim()
  assert.ok(text.length > 0, 'an error message is shown')
  assert.match(page.url(), /\/login/)
  // The password field is cleared after a failure.
  assert.equal(await page.locator(':is(input[data-test=login-password],[data-test=login-password] input)').inputValue(), '')
})

test('admin sees system management and the district jurisdiction; main pages render', async () => {
  const page = await freshPage()
  await login(page, 'admin')
  await page.locator('[data-test=dashboard]').waitFor()
  const keys = await menuKeys(page)
  for (const k of ['dashboard', 'system', 'org-units', 'agencies', 'users', 'audit', 'profile']) {
    assert.ok(keys.includes(k), `admin menu has ${k}: ${keys}`)
  }
  const labels = await menuLabels(page)
  for (const l of ['工作台', '系统管理', '组织机构', '用户管理', '审计日志']) assert.ok(labels.includes(l), `label ${l} in ${labels}`)
  const jur = await page.locator('[data-test=topbar-jurisdiction]').innerText()
  assert.match(jur, /龙岗区/)
  assert.equal((await page.locator('[data-test=topbar-role]').innerText()).trim(), '系统管理员')
  assert.match(await page.locator('[data-test=topbar-user]').innerText(), /系统管理员|admin/)
  await page.locator('[data-test=stat-users]').waitFor()
  await screenshot(page, 'dashboard')

  // Org tree: the root (龙岗区) is loaded and expanded to show its streets.
  await page.locator('[data-test=menu-org-units]').click()
  await page.waitForURL(/\/system\/org-units/)
  const tree = page.locator('[data-test=org-tree]')
  await tree.locator('.el-tree-node__content', { hasText: '龙岗区' }).first().waitFor()
  await tree.locator('.el-tree-node__content', { hasText: '布吉街道' }).first().waitFor()
  await tree.locator('.el-tree-node__content', { hasText: '布吉街道' }).first().click()
  await page.locator('[data-test=org-unit-name]', { hasText: '布吉街道' }).waitFor()
  await tree.locator('.el-tree-node__content', { hasText: '布吉街道' }).first().locator('.el-tree-node__expand-icon').click()
  await page.waitForTimeout(500)
  await screenshot(page, 'org-tree')

  // Users: a paged table with the demo users.
  await page.locator('[data-test=menu-users]').click()
  await page.locator('[data-test=users-table] .el-table__row').first().waitFor()
  const usernames = await page.locator('[data-test=users-table] [data-test^=user-link-]').allInnerTexts()
  assert.ok(usernames.includes('director'), `users list shows director: ${usernames}`)
  await page.locator(':is(input[data-test=users-q],[data-test=users-q] input)').fill('director2')
  await page.locator('[data-test=users-search]').click()
  await page.waitForFunction(() => {
    const links = [...document.querySelectorAll('[data-test=users-table] [data-test^=user-link-]')]
    return links.length > 0 && links.every((a) => a.textContent.includes('director2'))
  })
  await page.locator(':is(input[data-test=users-q],[data-test=users-q] input)').fill('')
  await page.locator('[data-test=users-search]').click()
  await page.waitForTimeout(300)
  await screenshot(page, 'users')

  // Audit: entries exist (at least our login) and the hash chain verifies.
  await page.locator('[data-test=menu-audit]').click()
  await page.locator('[data-test=audit-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=audit-verify]').click()
  const verdict = page.locator('[data-test=audit-verify-result]')
  await verdict.waitFor()
  assert.ok(await verdict.evaluate((el) => el.classList.contains('el-alert--success')), 'hash chain verifies')
  // Expand the newest entry to show the changes in words.
  await page.locator('[data-test=audit-table] .el-table__expand-icon').first().click()
  await page.locator('[data-test=audit-table] [data-test=audit-changes]').first().waitFor()
  await page.evaluate(() => document.querySelectorAll('.el-main, .el-scrollbar__wrap').forEach((e) => (e.scrollTop = 0)))
  await screenshot(page, 'audit')

  // Logout returns to the login page and the session is gone.
  await page.locator('[data-test=logout]').click()
  await page.waitForURL(/\/login/)
  await page.goto('/system/users')
  await page.waitForURL(/\/login\?redirect=/)
})

test('community child director sees no user or audit management and their community in the top bar', async () => {
  const page = await freshPage()
  await login(page, 'director')
  await page.locator('[data-test=dashboard]').waitFor()
  const keys = await menuKeys(page)
  for (const k of ['dashboard', 'children', 'profile']) assert.ok(keys.includes(k), `director menu has ${k}: ${keys}`)
  for (const k of ['users', 'audit']) assert.ok(!keys.includes(k), `director menu lacks ${k}: ${keys}`)
  const labels = await menuLabels(page)
  assert.ok(labels.includes('儿童台账') && !labels.includes('用户管理') && !labels.includes('审计日志'), `labels: ${labels}`)
  const jur = await page.locator('[data-test=topbar-jurisdiction]').innerText()
  assert.match(jur, /龙岗区 \/ 布吉街道 \/ \S+/)
  assert.equal((await page.locator('[data-test=topbar-role]').innerText()).trim(), '社区儿童主任')
  // A page the role may not use is refused by the router (the server refuses the API too).
  await page.goto('/system/users')
  await page.locator('[data-test=forbidden]').waitFor()
  await page.locator('[data-test=logout]').click()
  await page.waitForURL(/\/login/)
})

test('language switch to English changes menu labels and is remembered', async () => {
  const page = await freshPage()
  await login(page, 'admin')
  await page.locator('[data-test=dashboard]').waitFor()
  await page.locator('[data-test=lang-en]').click()
  await page.locator('[data-test=menu-dashboard]', { hasText: 'Dashboard' }).waitFor()
  let labels = await menuLabels(page)
  for (const l of ['Dashboard', 'System', 'Org units', 'Users', 'Audit log']) assert.ok(labels.includes(l), `label ${l} in ${labels}`)
  assert.match(await page.locator('[data-test=topbar-role]').innerText(), /System administrator/i)
  await page.reload()
  await page.locator('[data-test=menu-dashboard]', { hasText: 'Dashboard' }).waitFor()
  labels = await menuLabels(page)
  assert.ok(labels.includes('Users'))
  // Server messages follow the language too (Accept-Language).
  await page.locator('[data-test=lang-zh]').click()
  await page.locator('[data-test=menu-dashboard]', { hasText: '工作台' }).waitFor()
  await page.locator('[data-test=logout]').click()
  await page.waitForURL(/\/login/)
})

test('demo password constant is set', () => {
  assert.ok(DEMO_PASSWORD.length >= 10)
})

test('Enter on the login page sends exactly one login request (a wrong password counts once)', async () => {
  const page = await freshPage()
  let logins = 0
  const onRequest = (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/auth/login') logins++
  }
  page.on('request', onRequest)
  try {
    await page.locator(':is(input[data-test=login-username],[data-test=login-username] input)').fill('director2')
    const pw = page.locator(':is(input[data-test=login-password],[data-test=login-password] input)')
    await pw.fill('not-the-password-2')
    await pw.press('Enter')
    await page.locator('[data-test=login-error]').waitFor()
    await page.waitForTimeout(800)
    assert.equal(logins, 1, 'one Enter in the password field = one request')
    // Enter in the user name field submits once too.
    await pw.fill('not-the-password-3')
    await page.locator(':is(input[data-test=login-username],[data-test=login-username] input)').press('Enter')
    await page.waitForFunction(() => !document.querySelector('[data-test=login-submit]')?.classList.contains('is-loading'))
    await page.waitForTimeout(800)
    assert.equal(logins, 2, 'one Enter in the user name field = one request')
  } finally {
    page.off('request', onRequest)
  }
  // Two wrong passwords were two failures: the account is not locked and logs in.
  await login(page, 'director2')
  await page.locator('[data-test=dashboard]').waitFor()
})
