// The extension workflow of work items in the browser (issue 10): a 儿童主任 asks for more time from 我的待办
// (reason, wanted date), the street's 督导员 approves it from 督办, each seeing the item's history (steps and
// escalations); the drawer in English; phone layout. Screenshots: work-extension-*, supervise-extension-* at
// 1440 and 390 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot, seedVerificationTasks } from './helpers.mjs'

const tag = Date.now()
let browser
const DAY = 86400000
const addDays = (ymd, n) => new Date(Date.parse(ymd + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10)

before(async () => {
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

async function fresh(username, width = 1440) {
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await page.setViewportSize({ width, height: width > 800 ? 900 : 844 })
  await login(page, username)
  return page
}

/** Pages through the list until `locator` shows (the list is sorted by deadline). */
async function pageUntil(page, locator) {
  await page.locator('[data-test=inbox-page]').waitFor()
  await page.waitForLoadState('networkidle')
  for (let i = 0; i < 20 && !(await locator.count()); i++) {
    await page.locator('[data-test=inbox-pager] .btn-next').click()
    await page.waitForTimeout(400)
  }
  await locator.first().waitFor()
}

async function pickDate(page, sel, ymd) {
  const input = page.locator(`${sel} input`).first()
  await input.fill(ymd)
  await input.press('Enter')
}

test('儿童主任 requests an extension from 我的待办; the history shows it', async () => {
  const d = await apiSession('director')
  await seedVerificationTasks(d.me.org_unit, [`延期测试${tag % 1000}`], tag)
  const items = []
  for (let p = 1; p <= 20; p++) {
    const r = await d.get(`/inbox?kind=screening_verify&page=${p}&page_size=200`)
    items.push(...r.items)
    if (r.items.length < 200) break
  }
  await d.close()
  const item = items.filter((i) => i.state === 'open' && !i.overdue).sort((a, b) => b.id - a.id)[0]
  assert.ok(item, 'a fresh open item')
  const wanted = addDays(item.due_at.slice(0, 10), 7)

  const page = await fresh('director')
  await page.locator('[data-test=menu-inbox]').click()
  await page.waitForURL(/\/inbox$/)
  const open = page.locator(`[data-test=inbox-item-open-${item.id}]`)
  await pageUntil(page, open)
  assert.equal((await open.innerText()).trim(), '申请延期')
  await screenshot(page, 'inbox-actions-1440')
  await open.click()
  const drawer = page.locator('[data-test=work-item-drawer]')
  await drawer.locator('[data-test=ext-request-form]').waitFor()
  // The reason is required: submitting without it shows the server's error on the field.
  await drawer.locator('[data-test=ext-request-submit]').click()
  await drawer.locator('.el-form-item__error').first().waitFor()
  await drawer.locator('[data-test=ext-note] textarea').fill('家长外出务工，约定下周入户核实')
  await drawer.locator('.el-form-item__error').first().waitFor({ state: 'detached', timeout: 5000 })  // gone once the reason is typed
  await pickDate(drawer, '[data-test=ext-date]', wanted)
  await screenshot(page, 'work-extension-request-1440')
  await drawer.locator('[data-test=ext-request-submit]').click()
  await drawer.locator('[data-test=work-item-state]', { hasText: '延期审批中' }).waitFor()
  assert.equal(await drawer.locator('[data-test=ext-request-form]').count(), 0, 'no second request while one is pending')
  const history = drawer.locator('[data-test=work-item-history]')
  await history.locator('[data-test=history-step]', { hasText: '申请延期' }).waitFor()
  assert.match(await history.innerText(), /家长外出务工，约定下周入户核实/)
  assert.match(await history.innerText(), new RegExp(`至 ${wanted}`))
  await screenshot(page, 'work-extension-requested-1440')
  // The list marks it.
  await page.keyboard.press('Escape')
  await page.locator(`[data-test=inbox-table] .inbox-row`, { has: page.locator(`[data-test=inbox-item-open-${item.id}]`) })
    .locator('[data-test=inbox-ext-tag]').waitFor()
  // The server agrees.
  const again = await apiSession('director')
  const detail = await again.get(`/work-items/${item.id}`)
  await again.close()
  assert.equal(detail.state, 'extension_requested')
  assert.equal(detail.steps.at(-1).due_at.slice(0, 10), wanted)

  // On a phone: cards with the same action; the drawer fills the screen and fits 390 px.
  const phone = await fresh('director', 390)
  await phone.goto('/inbox')
  const card = phone.locator(`[data-test=inbox-cards] [data-test=inbox-item]`, { hasText: item.subject.label })
  await pageUntil(phone, card)
  await card.scrollIntoViewIfNeeded()
  await screenshot(phone, 'inbox-actions-390')
  await card.locator('[data-test=inbox-item-open]').click()
  await phone.locator('[data-test=work-item-drawer] [data-test=work-item-history]').waitFor()
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'fits 390 px')
  await screenshot(phone, 'work-extension-requested-390')
})

test('督导员 approves an extension from 督办 with a new deadline; English drawer', async () => {
  // An overdue item of the street awaiting a decision: the demo's (唐小宝's task), or one asked for now.
  const sup = await apiSession('supervisor')
  const over = await sup.get('/inbox/overdue?page_size=200')
  let item = over.items.find((i) => i.state === 'extension_requested')
  if (!item) {
    const dir = await apiSession('director')
    const open = over.items.find((i) => i.state === 'open' && i.owner_role === 'child_director' && i.unit.id === dir.me.org_unit.id)
    assert.ok(open, 'an overdue item of the director')
    await dir.post(`/work-items/${open.id}/actions`, { action: 'request_extension', note: '需协调派出所核实户籍', version: open.version })
    await dir.close()
    item = open
  }
  await sup.close()
  const newDue = addDays(new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10), 6)

  const page = await fresh('supervisor')
  await page.locator('[data-test=menu-supervise]').click()
  await page.waitForURL(/\/inbox\/overdue/)
  const open = page.locator(`[data-test=inbox-item-open-${item.id}]`)
  await pageUntil(page, open)
  assert.equal((await open.innerText()).trim(), '批准/驳回')
  await open.click()
  const drawer = page.locator('[data-test=work-item-drawer]')
  await drawer.locator('[data-test=ext-decide-form]').waitFor()
  await drawer.locator('[data-test=ext-request-shown]').waitFor()
  // Its history: the escalations of the closing sweep come before the request.
  const history = drawer.locator('[data-test=work-item-history]')
  await history.locator('[data-test=history-esc]').first().waitFor()
  await history.locator('[data-test=history-step]', { hasText: '申请延期' }).waitFor()
  await pickDate(drawer, '[data-test=ext-new-due]', newDue)
  await drawer.locator('[data-test=ext-opinion] textarea').fill('同意，请于新期限前完成入户核实')
  await screenshot(page, 'supervise-extension-1440')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.waitForTimeout(400)
  await screenshot(page, 'supervise-extension-390')
  await page.setViewportSize({ width: 1440, height: 900 })
  await drawer.locator('[data-test=ext-approve]').click()
  await drawer.locator('[data-test=work-item-state]', { hasText: '办理中' }).waitFor()
  await history.locator('[data-test=history-step]', { hasText: '批准延期' }).waitFor()
  assert.match(await history.innerText(), new RegExp(`至 ${newDue}`))
  const api = await apiSession('supervisor')
  const detail = await api.get(`/work-items/${item.id}`)
  await api.close()
  assert.equal(detail.due_at, `${newDue}T23:59:59+08:00`)
  assert.equal(detail.overdue, false)
  // No longer overdue: it leaves 督办 once the list reloads.
  await page.keyboard.press('Escape')
  await page.waitForFunction((id) => !document.querySelector(`[data-test=inbox-item-open-${id}]`), item.id, { timeout: 5000 })

  // The same drawer in English.
  await page.locator('[data-test=lang-en]').click()
  await page.locator('[data-test=menu-inbox]').click()
  await page.waitForURL(/\/inbox$/)
  await page.locator('[data-test=inbox-table] .inbox-row').first().waitFor()
  await page.locator('[data-test=inbox-table] [data-test^=inbox-item-open-]').first().click()
  await drawer.locator('[data-test=work-item-history]').waitFor()
  const text = await drawer.innerText()
  assert.match(text, /History/)
  assert.doesNotMatch(text, /办理记录|申请延期|办理期限/)
  await page.keyboard.press('Escape')
  await page.locator('[data-test=lang-zh]').click()
})
