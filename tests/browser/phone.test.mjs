// A 儿童主任 at the family's door with a 390 px phone: the login works, the menu is a drawer, 我的待办 shows her
// to-dos as cards, she finds a child and reads the file, and records a verification outcome from the to-do.
// Screenshots: phone-login, phone-menu, phone-inbox, phone-child-file, phone-outcome (docs/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot, seedVerificationTasks, createChild } from './helpers.mjs'

const tag = Date.now()
const unknownName = `东方核查${tag % 1000}`
let browser
let childName
let taskId

before(async () => {
  const d = await apiSession('director')
  const me = d.me
  childName = `慕容手机${['一', '二', '三'][tag % 3]}`
  await createChild(d, childName, tag)
  await d.close()
  await seedVerificationTasks(me.org_unit, [unknownName], tag)
  const d2 = await apiSession('director')
  const tasks = await d2.get('/screening/tasks?queue=mine&status=open&page_size=200')
  await d2.close()
  taskId = tasks.items.find((t) => t.finding.record?.name === unknownName)?.id
  assert.ok(taskId, 'the upload gave the director a verification task')
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

test('390 px: login, drawer menu, 我的待办 cards, find a child, read the file, record a verification outcome', async () => {
  const page = await newPage(browser.context)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/login')
  await page.locator('[data-test=login-username]').waitFor()
  await screenshot(page, 'phone-login')
  await login(page, 'director')
  await page.locator('[data-test=dashboard]').waitFor()
  // The menu is not a sidebar eating the screen: a drawer opened by the menu button.
  assert.equal(await page.locator('aside.aside').count(), 0)
  assert.equal(await page.locator('[data-test=side-menu]').isVisible().catch(() => false), false)
  const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
  assert.ok(await noSideways(), 'the workbench fits 390 px')
  await page.locator('[data-test=menu-toggle]').click()
  await page.locator('[data-test=side-menu]').waitFor()
  await page.waitForTimeout(400)
  await screenshot(page, 'phone-menu')
  await page.locator('[data-test=menu-inbox]').click()
  await page.waitForURL(/\/inbox$/)
  await page.locator('[data-test=side-menu]').waitFor({ state: 'hidden' })

  // 我的待办 as cards; the verification task of the unknown child is there.
  const card = page.locator(`[data-test=inbox-cards] a[data-test=inbox-item][href="/screening/tasks/${taskId}"]`)
  await page.locator('[data-test=inbox-cards] [data-test=inbox-item]').first().waitFor()
  await screenshot(page, 'phone-inbox')
  // Sorted by deadline: the new task (10 working days) may be on a later page.
  for (let i = 0; i < 10 && !(await card.count()); i++) {
    await page.locator('[data-test=inbox-pager] .btn-next').click()
    await page.waitForTimeout(500)
  }
  await card.first().waitFor()
  assert.ok(await noSideways(), 'the inbox fits 390 px')

  // Find a child by name and read the file.
  await page.locator('[data-test=menu-toggle]').click()
  await page.locator('[data-test=menu-children]').click()
  await page.waitForURL(/\/children$/)
  await page.locator(':is(input[data-test=children-q],[data-test=children-q] input)').fill(childName)
  const row = page.locator('[data-test=children-table] tr.child-row', { hasText: childName }).first()
  await row.waitFor()
  await row.locator('a').first().click()
  await page.waitForURL(/\/children\/\d+$/)
  await page.locator('[data-test=cf-title]', { hasText: childName }).waitFor()
  await page.locator('[data-test=cf-identity]').waitFor()
  await screenshot(page, 'phone-child-file')

  // Back to the to-do and record the outcome at the door: 查无此人 with a note.
  await page.locator('[data-test=menu-toggle]').click()
  await page.locator('[data-test=menu-inbox]').click()
  await page.locator('[data-test=inbox-cards] [data-test=inbox-item]').first().waitFor()
  for (let i = 0; i < 10 && !(await card.count()); i++) {
    await page.locator('[data-test=inbox-pager] .btn-next').click()
    await page.waitForTimeout(500)
  }
  await card.first().click()
  await page.waitForURL(new RegExp(`/screening/tasks/${taskId}$`))
  const dlg = page.locator('[data-test=scr-outcome-dialog]')
  await dlg.waitFor()
  await dlg.locator('[data-test=scr-outcome-not_found]').click()
  await dlg.locator(':is(textarea[data-test=scr-outcome-note],[data-test=scr-outcome-note] textarea)').fill('入户两次，邻居称无此家庭')
  const box = await dlg.boundingBox()
  assert.ok(box && box.width <= 390, `the outcome dialog fits the phone (${box?.width})`)
  await screenshot(page, 'phone-outcome')
  await dlg.locator('[data-test=scr-outcome-submit]').click()
  await dlg.waitFor({ state: 'hidden' })
  // The task left the director's to-dos.
  const api = await apiSession('director')
  const inbox = await api.get('/inbox?page_size=200')
  await api.close()
  assert.ok(!inbox.items.some((w) => w.link === `/screening/tasks/${taskId}`), 'the done task is no longer a to-do')
  // The menu's to-do count follows the write at once (not at the next minute's poll).
  await page.locator('[data-test=menu-toggle]').click()
  await page.waitForFunction((n) => document.querySelector('[data-test=menu-count-inbox]')?.textContent.trim() === String(n), inbox.total > 99 ? '99+' : inbox.total, { timeout: 5000 })
})
