// Case conferences in the browser (issue 12): the street supervisor convenes a conference from the child file's
// 会商 tab (reason, time, place, 区教育局 as a participant), records the minutes with a decision for 区教育局;
// the liaison opens the decision from 我的待办 / its link and completes it with a note; the supervisor sees it done.
// Screenshots: docs/screenshots/conference-{detail,decision,print}-{1440,1366,390}.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshotWidths } from './helpers.mjs'

const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`
const input = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
let sup, lia
let childId = 0
let eduName = ''
let confId = 0

before(async () => {
  const s = await apiSession('supervisor')
  const kids = await s.get(`/children?q=${encodeURIComponent('陈思雨')}`)
  childId = kids.items[0].id
  await s.close()
  const d = await apiSession('district')
  const ag = await d.get('/agencies?kind=department&page_size=200')
  eduName = ag.items.find((a) => a.name.endsWith('教育局')).name
  await d.close()
  sup = await startBrowser()
  lia = await startBrowser()
})
after(async () => {
  await sup?.close()
  await lia?.close()
})

async function pickOption(page, selectSel, text) {
  await page.locator(selectSel).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

test('convene from the child file, record a decision for 区教育局', async () => {
  const p = await newPage(sup.context)
  await login(p, 'supervisor')
  await p.goto(`/children/${childId}`)
  await p.locator('.el-tabs__item', { hasText: '会商' }).click()
  await p.locator('[data-test=child-convene]').click()
  await p.locator('[data-test=convene-page]').waitFor()
  await pickOption(p, '[data-test=convene-reason]', '需多部门协同处置')
  const when = p.locator(input('convene-when'))
  await when.click()
  await when.fill('2026-12-30 15:00')
  await when.press('Enter')
  await p.locator(input('convene-place')).fill('布吉街道工作站会议室')
  await p.locator(textarea('convene-agenda')).fill('通报情况；明确分工')
  await p.locator('[data-test=convene-add-participant]').click()
  await pickOption(p, '[data-test=participant-agency]', eduName)
  await p.locator('[data-test=convene-submit]').click()
  await p.locator('[data-test=conference-page]').waitFor()
  confId = Number(p.url().match(/conferences\/(\d+)/)[1])
  await p.locator('[data-test=conference-status]', { hasText: '待召开' }).waitFor()

  await p.locator('[data-test=conference-record]').click()
  const dlg = p.locator('[data-test=record-dialog]')
  await dlg.locator(textarea('record-discussion')).fill('与会各方一致同意由教育局协调心理辅导')
  await dlg.locator('[data-test=record-add-decision]').click()
  await dlg.locator(input('decision-content')).fill('协调学校安排心理辅导')
  await pickOption(p, '[data-test=decision-agency]', eduName)
  const due = dlg.locator(input('decision-due'))
  await due.click()
  await due.fill('2026-12-31')
  await due.press('Enter')
  await dlg.locator('[data-test=record-save]').click()
  await p.locator('[data-test=conference-status]', { hasText: '已召开' }).waitFor()
  await p.locator('[data-test=conference-decisions]', { hasText: '协调学校安排心理辅导' }).waitFor()
  await screenshotWidths(p, 'conference-detail', (pg) => pg.locator('[data-test=conference-title]').waitFor())
  await p.goto(`/conferences/${confId}/print`)
  await p.locator('[data-test=print-discussion]', { hasText: '一致同意' }).waitFor()
  await screenshotWidths(p, 'conference-print', (pg) => pg.locator('[data-test=print-sheet]').waitFor())
})

test('the liaison completes its decision from the work item link', async () => {
  assert.ok(confId)
  const s = await apiSession('supervisor')
  const conf = await s.get(`/conferences/${confId}`)
  await s.close()
  const decision = conf.decisions.find((d) => d.content === '协调学校安排心理辅导')
  const p = await newPage(lia.context)
  await login(p, 'liaison')
  await p.goto('/conferences/decisions')
  await p.locator('[data-test=decision-table]', { hasText: '协调学校安排心理辅导' }).waitFor()
  await p.goto(`/conferences/decisions/${decision.id}`)
  await p.locator('[data-test=decision-content]', { hasText: '协调学校安排心理辅导' }).waitFor()
  await p.locator(textarea('decision-note')).fill('已安排每两周一次心理辅导')
  await screenshotWidths(p, 'conference-decision', (pg) => pg.locator('[data-test=decision-page]').waitFor())
  await p.locator('[data-test=decision-submit]').click()
  await p.locator('[data-test=decision-result]', { hasText: '每两周' }).waitFor()
  await p.locator('[data-test=decision-status]', { hasText: '已办结' }).waitFor()
  // The liaison cannot open the conference itself.
  const s2 = await apiSession('liaison')
  await assert.rejects(s2.get(`/conferences/${confId}`))
  await s2.close()
})

// The case page's 个案会商 section asks by the case id together with the case (its extension's preload): hold the case's
// answer until the section's GET /cases/{id}/conferences is seen (at most 5 s) — a section that needs the case's child
// first never sends it while the case is held — then the section shows the case's conference and the child's others.
test('the case page asks for its 个案会商 together with the case and shows the case\'s conferences', async () => {
  const s = await apiSession('supervisor')
  const kase = (await s.get(`/cases?child_id=${childId}&page_size=50`)).items.map((x) => x.case ?? x).find((x) => x.status !== 'closed') ??
    (await s.post('/cases', { child_id: childId, source: 'decision', reason: '浏览器测试：会商个案' }))
  const caseId = (kase.case ?? kase).id
  const title = '个案页会商' + String(Date.now() % 100000)
  await s.post('/conferences', { child_id: childId, case_id: caseId, reason: 'red_grade', title, scheduled_at: '2026-12-31 10:00',
    place: '布吉街道工作站', participants: [] })
  const others = (await s.get(`/children/${childId}/conferences`)).items.filter((x) => x.case_id !== caseId).length
  await s.close()
  const browser = await startBrowser()
  const p = await newPage(browser.context)
  await login(p, 'supervisor')
  let seen
  const asked = new Promise((resolve) => { seen = resolve })
  p.on('request', (r) => { if (new URL(r.url()).pathname === `/api/v1/cases/${caseId}/conferences`) seen('conferences') })
  let held = ''
  await p.route((url) => url.pathname === `/api/v1/cases/${caseId}`, async (route) => {
    held = await Promise.race([asked, new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000))])
    await route.continue()
  })
  await p.goto(`/cases/${caseId}`)
  await p.locator('[data-test=case-page]').waitFor()
  const section = p.locator('[data-test=case-conferences]')
  await section.locator('[data-test=case-conference-link]', { hasText: title }).waitFor()
  assert.equal(held, 'conferences')
  assert.ok(others > 0)
  assert.match(await section.textContent(), new RegExp(`另有 ${others} 次会商`))
  await browser.close()
})
