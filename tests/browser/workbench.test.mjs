// Issue 10 in the browser: the 工作台 per role (儿童主任, 督导员, 区民政, 领导), 我的待办 with counts by kind,
// 督办, the bell, the watermark on pages with personal data, the A4 print view of a child's file, and the
// warning before the idle session expires. Screenshots: workbench-*, inbox-*, print-* at 1440, 1366 and 390 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, menuKeys, screenshot, screenshotWidths, seedVerificationTasks, createChild } from './helpers.mjs'

const tag = Date.now()
let browser
let directorMe
let childId

/** Page text must never show permission codes such as child.read or screening.verify. */
const PERM_CODE = /\b(child|roll|screening|user|org|audit|stats|report|case|resource|work)\.(read|write|reveal|export|propose|review|confirm|manage|verify|oversee)\b/

async function fresh(username) {
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await page.setViewportSize({ width: 1440, height: 900 })
  await login(page, username)
  await page.locator('[data-test=dashboard]').waitFor()
  return page
}

before(async () => {
  const d = await apiSession('director')
  directorMe = d.me
  childId = (await createChild(d, `慕容档案${['甲', '乙', '丙'][tag % 3]}`, tag)).id
  await d.close()
  await seedVerificationTasks(directorMe.org_unit, [`司马待办${tag % 1000}`, `上官待办${tag % 1000}`], tag)
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

test('儿童主任: the 工作台 starts from today\'s and overdue to-dos, then the numbers; no permission codes', async () => {
  const api = await apiSession('director')
  const wb = await api.get('/workbench')
  const inbox = await api.get('/inbox?page_size=1')
  await api.close()
  assert.ok(inbox.total >= 2, `the seeded verification tasks are in the director's inbox: ${inbox.total}`)
  const page = await fresh('director')
  await page.locator('[data-test=wb-todo]').waitFor()
  await page.locator('[data-test=wb-numbers]').waitFor()
  const y = async (sel) => (await page.locator(sel).boundingBox()).y
  assert.ok((await y('[data-test=wb-todo]')) < (await y('[data-test=wb-numbers]')), 'to-dos come before the numbers')
  // The 工作台's to-do numbers agree with 我的待办 (and with the menu count below).
  const overdue = inbox.counts.reduce((a, c) => a + c.overdue, 0)
  assert.equal((await page.locator('[data-test=wb-open] b').innerText()).trim(), String(inbox.total))
  assert.equal((await page.locator('[data-test=wb-overdue] b').innerText()).trim(), String(overdue))
  assert.equal((await page.locator('[data-test=wb-stat-children-total] b').innerText()).trim(), String(wb.numbers.children_total))
  assert.equal((await page.locator('[data-test=wb-stat-on-roll] b').innerText()).trim(), String(wb.numbers.on_roll))
  assert.ok((await page.locator('[data-test=wb-todo-item]').count()) >= 2, 'the first to-dos are listed')
  await page.locator('[data-test=wb-act-find-child]').waitFor()
  await page.locator('[data-test=wb-act-tasks]').waitFor()
  assert.doesNotMatch(await page.locator('body').innerText(), PERM_CODE)
  // The side menu carries the to-do count; 督办 is not offered to a 儿童主任.
  assert.equal((await page.locator('[data-test=menu-count-inbox]').innerText()).trim(), String(Math.min(inbox.total, 99) === inbox.total ? inbox.total : '99+'))
  assert.ok(!(await menuKeys(page)).includes('supervise'))
  // No placeholder modules in the menu (reports since issue 11 and cases since issue 12 are real menus).
  for (const k of ['resources', 'stats']) assert.ok(!(await menuKeys(page)).includes(k), `no ${k} placeholder`)
  await screenshotWidths(page, 'workbench-director', (p) => p.locator('[data-test=wb-todo]').waitFor())
})

test('督导员: to-dos first, and 督办 lists the overdue items of the street', async () => {
  const api = await apiSession('supervisor')
  const over = await api.get('/inbox/overdue?page_size=1')
  await api.close()
  const page = await fresh('supervisor')
  assert.equal(await page.locator('[data-test=dashboard]').getAttribute('data-view'), 'worker')
  await page.locator('[data-test=wb-todo]').waitFor()
  assert.ok((await menuKeys(page)).includes('supervise'), 'a supervisor has 督办')
  await page.locator('[data-test=menu-supervise]').click()
  await page.waitForURL(/\/inbox\/overdue/)
  await page.locator('[data-test=inbox-page][data-mode=overdue]').waitFor()
  await page.locator('[data-test=inbox-table]').waitFor()
  await page.waitForLoadState('networkidle')
  const rows = await page.locator('[data-test=inbox-table] .inbox-row').count()
  assert.equal(rows, Math.min(over.total, 20), `督办 rows = server's overdue total (${over.total})`)
  await screenshot(page, 'supervise-1440')
})

test('区民政 starts from to-dos; 领导 sees numbers and the trend first, and no write actions', async () => {
  let page = await fresh('district')
  assert.equal(await page.locator('[data-test=dashboard]').getAttribute('data-view'), 'worker')
  await page.locator('[data-test=wb-numbers]').waitFor()
  const yd = async (sel) => (await page.locator(sel).boundingBox()).y
  assert.ok((await yd('[data-test=wb-todo]')) < (await yd('[data-test=wb-numbers]')))
  assert.ok((await page.locator('[data-test=wb-by-unit] .row').count()) > 0, 'children by unit below the district')
  await screenshot(page, 'workbench-district-1440')

  page = await fresh('leader')
  assert.equal(await page.locator('[data-test=dashboard]').getAttribute('data-view'), 'leader')
  await page.locator('[data-test=wb-numbers]').waitFor()
  await page.locator('[data-test=wb-trend-chart] canvas').waitFor()
  const yl = async (sel) => (await page.locator(sel).boundingBox()).y
  const todo = page.locator('[data-test=wb-todo]')
  if (await todo.count()) assert.ok((await yl('[data-test=wb-numbers]')) < (await yl('[data-test=wb-todo]')), 'numbers before to-dos for a leader')
  assert.ok((await yl('[data-test=wb-numbers]')) < (await yl('[data-test=wb-trend]')))
  assert.equal(await page.locator('[data-test=wb-act-new-child]').count(), 0, 'a read-only leader gets no 新建 action')
  assert.doesNotMatch(await page.locator('body').innerText(), PERM_CODE)
  await screenshotWidths(page, 'workbench-leader', (p) => p.locator('[data-test=wb-numbers]').waitFor())
})

test('我的待办: tabs show the counts by kind from the server; overdue in red; a kind tab filters', async () => {
  const api = await apiSession('director')
  const all = await api.get('/inbox?page_size=100')
  await api.close()
  const page = await fresh('director')
  await page.locator('[data-test=menu-inbox]').click()
  await page.waitForURL(/\/inbox$/)
  await page.locator('[data-test=inbox-table] .inbox-row').first().waitFor()
  for (const c of all.counts) {
    const tab = page.locator(`[data-test=inbox-tab-${c.kind}]`)
    assert.equal((await tab.locator('[data-test=inbox-tab-count]').innerText()).trim(), String(c.count), `count of ${c.kind}`)
    assert.match(await tab.innerText(), new RegExp(c.kind_name))
    if (c.overdue) assert.match(await tab.locator('[data-test=inbox-tab-overdue]').innerText(), new RegExp(String(c.overdue)))
  }
  assert.equal(await page.locator('[data-test=inbox-table] .inbox-row').count(), Math.min(all.total, 20))
  // Sorted by deadline, shown in Asia/Shanghai (YYYY-MM-DD HH:mm).
  const dues = await page.locator('[data-test=inbox-table] [data-test=due-time]').allInnerTexts()
  for (const d of dues) assert.match(d, /^\d{4}-\d\d-\d\d \d\d:\d\d|—/)
  const overdueRows = all.items.filter((w) => w.overdue).length
  assert.equal(await page.locator('[data-test=inbox-table] [data-test=due-overdue]').count(), Math.min(overdueRows, 20))
  if (all.counts.length > 0) {
    const k = all.counts[0]
    await page.locator(`[data-test=inbox-tab-${k.kind}]`).click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-test=inbox-table] .inbox-row').length === n, Math.min(k.count, 20))
  }
  await page.locator('[data-test=inbox-tab-all]').click()
  await page.locator('[data-test=inbox-table] .inbox-row').first().waitFor()
  // The watermark lies over a page with children's names.
  const wm = page.locator('[data-test=watermark]')
  assert.match(await wm.getAttribute('data-watermark-text'), new RegExp(`${directorMe.display_name} director`))
  await screenshotWidths(page, 'inbox', (p) => p.locator('[data-test=inbox-page]').waitFor())
  // A to-do opens where it is done: the verification task's outcome form.
  const task = all.items.find((w) => w.link.startsWith('/screening/tasks/'))
  assert.ok(task, 'a verification task is in the inbox')
  await page.locator(`[data-test=inbox-table] a[data-test=inbox-link][href="${task.link}"]`).click()
  await page.waitForURL(new RegExp(`${task.link}$`))
  await page.locator('[data-test=scr-outcome-dialog]').waitFor()
})

test('the bell shows the unread count; opening the list and 全部已读 clear it', async () => {
  const api = await apiSession('director')
  const n = await api.get('/notifications?unread=1&page_size=1')
  await api.close()
  const page = await fresh('director')
  const badge = page.locator('[data-test=bell-count] .el-badge__content')
  if (n.unread > 0) assert.equal((await badge.innerText()).trim(), n.unread > 99 ? '99+' : String(n.unread))
  await page.locator('[data-test=bell]').click()
  await page.locator('[data-test=bell-list]').waitFor()
  if (n.total > 0) await page.locator('[data-test=bell-item]').first().waitFor()
  await screenshot(page, 'bell-1440')
  if (n.unread > 0) {
    await page.locator('[data-test=bell-read-all]').click()
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-test=bell-count] .el-badge__content')
      return !b || getComputedStyle(b).display === 'none'
    })
    const check = await apiSession('director')
    assert.equal((await check.get('/notifications?unread=1&page_size=1')).unread, 0)
    await check.close()
  }
})

test('watermark with name, account and time on the child list and file, users and audit; clicks pass through', async () => {
  const page = await fresh('district')
  for (const path of ['/children', '/system/users', '/system/audit']) {
    await page.goto(path)
    const wm = page.locator('[data-test=watermark]')
    await wm.waitFor()
    const text = await wm.getAttribute('data-watermark-text')
    assert.match(text, /陈晓红 district \d{4}-\d\d-\d\d \d\d:\d\d/, `${path}: ${text}`)
    // The overlay is drawn (a background image) and lets clicks through.
    const overlay = await wm.evaluate((el) => {
      const o = [...el.children].find((c) => getComputedStyle(c).backgroundImage.startsWith('url('))
      return o ? getComputedStyle(o).pointerEvents : null
    })
    assert.equal(overlay, 'none', `${path}: watermark overlay present and not blocking clicks`)
  }
  // Not on pages without personal data.
  await page.goto('/profile')
  await page.locator('[data-test=menu-profile]').waitFor()
  assert.equal(await page.locator('[data-test=watermark]').count(), 0)
  // A click on a child in the list (under the watermark) opens the file, which carries the watermark too.
  await page.goto('/children')
  await page.locator('[data-test=children-table] tr.child-row a').first().click()
  await page.waitForURL(/\/children\/\d+$/)
  await page.locator('[data-test=child-file-page]').waitFor()
  await page.locator('[data-test=watermark]').waitFor()
})

test('print view: A4 一人一档 with a formal heading, the watermark, no app chrome; reachable from the file', async () => {
  const id = childId
  const page = await fresh('director')
  await page.goto(`/children/${id}`)
  await page.locator('[data-test=cf-print]').click()
  await page.waitForURL(new RegExp(`/children/${id}/print$`))
  await page.locator('[data-test=print-sheet]').waitFor()
  assert.equal((await page.locator('[data-test=print-title]').innerText()).trim(), '儿童信息档案（一人一档）')
  assert.match(await page.locator('[data-test=print-unit]').innerText(), /龙岗区布吉街道/)
  assert.match(await page.locator('[data-test=print-date]').innerText(), /^\d{4}年\d{1,2}月\d{1,2}日$/)
  assert.match(await page.locator('[data-test=print-mark]').innerText(), /王秀英 director/)
  assert.match(await page.locator('[data-test=watermark]').getAttribute('data-watermark-text'), /王秀英 director/)
  assert.equal(await page.locator('[data-test=side-menu]').count(), 0, 'no side menu on the print view')
  // Printing hides the toolbar; the sheet is A4 (PDF page size 595×842 pt) with page numbers in the margin.
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('[data-test=print-go]').isVisible(), false)
  await page.emulateMedia({ media: 'screen' })
  const pdf = await page.pdf({ preferCSSPageSize: true })
  const text = pdf.toString('latin1')
  assert.match(text, /\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/, 'A4 pages (595 x 842 pt)')
  await screenshotWidths(page, 'print', (p) => p.locator('[data-test=print-sheet]').waitFor())
})

test('no lost forms: a warning before the idle session expires; 保持登录 renews it with GET /me', async () => {
  await browser.context.clearCookies()
  const page = await newPage(browser.context)
  await page.clock.install()
  await login(page, 'director')
  await page.locator('[data-test=dashboard]').waitFor()
  await page.waitForLoadState('networkidle')
  assert.equal(await page.locator('[data-test=idle-warning]').isVisible().catch(() => false), false)
  // 26 minutes without a request: the 30-minute idle limit is 5 minutes (less one touch interval) away.
  await page.clock.fastForward('26:00')
  const dlg = page.locator('[data-test=idle-warning]')
  await dlg.waitFor()
  assert.match(await dlg.locator('[data-test=idle-countdown]').innerText(), /^[0-4]:\d\d$/)
  await screenshot(page, 'idle-warning-1440')
  const me = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/me' && r.method() === 'GET')
  await dlg.locator('[data-test=idle-keep]').click()
  await me
  await dlg.waitFor({ state: 'hidden' })
})
