// Plans in the browser (issue 12): the 儿童主任 drafts a plan (一人一策) for a case in planning — goals from the needs,
// a service, a 1+N team member with a phone (masked), a task with a due date — and submits it; the street supervisor
// approves it (the case moves to intervention); on a phone (390 px) the director records a service. Screenshots:
// docs/screenshots/plans-section-{1440,1366,390}.png, plans-editor-1440.png, plans-print-1440.png, plans-groups-1440.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot } from './helpers.mjs'

const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`
let caseId = 0
let director, supervisor

function idNumber(birth) {
  // The 17th digit is odd for a boy.
  const first17 = '440307' + birth.replaceAll('-', '') + String(10 + Math.floor(Math.random() * 89)) + '7'
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, ch, i) => s + Number(ch) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

before(async () => {
  const d = await apiSession('director')
  const birth = `201${Math.floor(Math.random() * 9)}-0${1 + Math.floor(Math.random() * 8)}-1${Math.floor(Math.random() * 9)}`
  const child = await d.post('/children', {
    name: '计划浏览' + String(Date.now() % 10000), sex: 'male', birth_date: birth, id_number: idNumber(birth), community_id: d.me.org_unit.id,
    hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local', health: 'healthy',
    guardian: { name: '李奶奶', relation: 'grandmother', phone: '13800002222' },
  })
  const opened = await d.post('/cases', { child_id: child.id, source: 'decision', reason: '浏览器测试：留守儿童，祖母年迈' })
  caseId = (opened.case ?? opened).id
  const RED = { g_status: 'absent', g_unseen_months: 13, s_harm: true, s_home: 'safe', h_health: 'good', h_mood: 'stable', e_school: 'in_school', f_income: 'hard' }
  const NEEDS = { n_living: '2', n_safety: '3', n_education: '1', n_health: '0', n_mind: '0', n_family: '0' }
  for (const [form, answers] of [['gd_risk', RED], ['needs', NEEDS]]) {
    const a = await d.post('/assessments', { child_id: child.id, case_id: caseId, form, answers })
    await d.post(`/assessments/${a.id}/complete`, { version: a.version })
  }
  for (const [from, action] of [['intake', 'assess'], ['assessing', 'plan']]) {
    const cur = await d.get(`/cases/${caseId}`)
    const kc = cur.case ?? cur
    if (kc.status === from) await d.post(`/cases/${caseId}/actions`, { action, version: kc.version, note: '测试' })
  }
  await d.close()
  director = await startBrowser()
  supervisor = await startBrowser()
})
after(async () => {
  await director?.close()
  await supervisor?.close()
})

test('the director drafts a plan with services, a 1+N team and a task, and submits it', async () => {
  const page = await newPage(director.context)
  await login(page, 'director')
  await page.goto(`/cases/${caseId}/plan`)
  await page.locator('[data-test=plan-section]').waitFor()
  await page.locator('[data-test=plan-new]').click()
  const dlg = page.locator('[data-test=plan-editor]')
  await dlg.waitFor()
  if (await dlg.locator('[data-test=goal-row]').count() === 0) await dlg.locator('[data-test=goal-add]').click()
  // One goal per assessed need, prefilled: each needs its text.
  const goals = dlg.locator(field('goal-text'))
  const texts = ['掌握居家和出行安全知识', '保障日常生活照料', '按时到校，成绩稳步提高']
  for (let i = 0; i < await goals.count(); i++) await goals.nth(i).fill(texts[i % texts.length])
  await dlg.locator('[data-test=service-line-add]').click()
  await dlg.locator(field('service-title')).first().fill('每周一次心理疏导')
  await dlg.locator('[data-test=member-add]').click()
  await dlg.locator(field('member-name')).first().fill('刘爱华')
  await dlg.locator(field('member-phone')).first().fill('13900139002')
  await dlg.locator('[data-test=task-add]').click()
  await dlg.locator(field('task-title')).first().fill('联系学校了解出勤')
  const due = dlg.locator('[data-test=task-row]').first().locator('.el-date-editor input')
  await due.fill('2030-12-31')
  await due.press('Enter')
  await screenshot(page, 'plans-editor-1440')
  await dlg.locator('[data-test=plan-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=plan-status]', { hasText: '草稿' }).waitFor()
  assert.equal((await page.locator('[data-test=team-phone]').first().innerText()).trim(), '139****9002')
  await page.locator('[data-test=plan-submit]').click()
  await page.locator('[data-test=plan-status]', { hasText: '待审批' }).waitFor()
})

test('the street supervisor approves; the plan is approved and the task can be done', async () => {
  const page = await newPage(supervisor.context)
  await login(page, 'supervisor')
  await page.goto('/plan-approvals')
  await page.locator(`[data-test=approval-open][href="/cases/${caseId}/plan"]`).click()
  await page.locator('[data-test=plan-approve]').click()
  await page.locator('.el-message-box textarea').fill('同意，请按计划落实')
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('[data-test=plan-status]', { hasText: '已批准' }).waitFor()
  for (const [w, h] of [[1440, 900], [1366, 768]]) {
    await page.setViewportSize({ width: w, height: h })
    await screenshot(page, `plans-section-${w}`)
  }
})

test('on a phone (390 px) the director records a service and sees it', async () => {
  const page = await newPage(director.context)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`/cases/${caseId}/plan`)
  await page.locator('[data-test=plan-status]', { hasText: '已批准' }).waitFor()
  await page.locator('[data-test=service-add]').click()
  const dlg = page.locator('[data-test=service-dialog]')
  await dlg.waitFor()
  await dlg.locator(textarea('svc-content')).fill('入户探访，孩子情绪平稳，祖母身体尚可')
  await dlg.locator(textarea('svc-outcome')).fill('照料安排落实')
  await dlg.locator('[data-test=svc-save]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=service-record]', { hasText: '入户探访，孩子情绪平稳' }).waitFor()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow})`)
  await screenshot(page, 'plans-section-390')
  await page.setViewportSize({ width: 1440, height: 900 })
  const plan = await page.locator('[data-test=plan-print]').first()
  assert.ok(plan)
})

test('the printable plan and the group services page', async () => {
  const page = await newPage(director.context)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/cases/${caseId}/plan`)
  const href = await page.locator('[data-test=plan-print]').locator('xpath=..').getAttribute('href')
  await page.goto(href)
  await page.locator('[data-test=print-sheet]', { hasText: '掌握居家和出行安全知识' }).waitFor()
  await screenshot(page, 'plans-print-1440')
  const sp = await newPage(supervisor.context)
  await sp.goto('/service-groups')
  await sp.locator('[data-test=groups-page]').waitFor()
  await screenshot(sp, 'plans-groups-1440')
})

test('the case page asks for its plan section together with the case, not after the case has arrived', async () => {
  const browser = await startBrowser()
  const page = await newPage(browser.context)
  await login(page, 'director')
  // Hold the case's answer until the plan section's request is seen (at most 5 s): a page that asks for the plans only
  // after rendering the case never sends it while the case is held.
  let seen
  const plansAsked = new Promise((resolve) => { seen = resolve })
  page.on('request', (r) => { if (new URL(r.url()).pathname === `/api/v1/cases/${caseId}/plans`) seen('plans') })
  let held = ''
  await page.route((url) => url.pathname === `/api/v1/cases/${caseId}`, async (route) => {
    held = await Promise.race([plansAsked, new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000))])
    await route.continue()
  })
  await page.goto(`/cases/${caseId}`)
  await page.locator('[data-test=case-page]').waitFor()
  await page.locator('[data-test=plan-section]').waitFor()
  assert.equal(held, 'plans')
  await browser.close()
})
