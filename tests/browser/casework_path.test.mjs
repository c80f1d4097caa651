// The whole case-work path (issue 12 "Tests") in a real browser, as each user clicks it, one child from the roll to
// closure: the community's 儿童主任 files a child (father 服刑在押, mother 失联) and proposes entry to the roll; the
// street reviews and the district confirms (在册) → the assessment due shows in the station social worker's 我的待办 →
// the social worker opens a case from it, records a risk assessment that grades red and a needs assessment → the red tag
// shows on the file, the children list and the case list → the social worker drafts the plan (一人一策: a goal per
// need, a service, a 1+N team member, a task) and submits it; the station (street supervisor) approves it and the case
// moves to 介入 → the visit schedule is now weekly; the 儿童主任 records two visits on a 390 px phone, one with a
// photo → the street supervisor convenes a case conference with 区教育局 and the community, records the minutes with a
// decision for each → the department liaison and the 儿童主任 each complete theirs from 我的待办; the conference
// closes → a reassessment grades blue and the visits go monthly → the case is closed with a reason.
// API calls only look up ids or check the final state. Screenshots: docs/screenshots/path-*.png.
import { test, before, beforeEach, after } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { BASE_URL, CHROMIUM, BROWSER_ARGS, login, apiSession, screenshot, idNumber, fillDate, addFamilyMember } from './helpers.mjs'

const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`

const tag = Date.now()
const GIVEN = ['晨曦', '沐辰', '语嫣', '景行', '知夏', '安然', '星河', '书瑶']
const childName = `欧阳${GIVEN[tag % GIVEN.length]}${'甲乙丙丁戊己庚辛'[Math.floor(tag / 8) % 8]}`
const birth = `2014-0${(tag % 9) + 1}-1${tag % 10}`
/** YYYY-MM-DD in Asia/Shanghai, `days` days from today. */
const shanghaiDay = (days = 0) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)
const today = shanghaiDay(0)
const monthsAgo = (n) => {
  const [y, m] = today.split('-').map(Number)
  const mm = m - n <= 0 ? m - n + 12 : m - n
  return `${m - n <= 0 ? y - 1 : y}-${String(mm).padStart(2, '0')}-10`
}

// Risk answers (gd_risk): guardian absent 14 months and harm found → red (立即介入); later a stable home → blue.
const RED = { g_status: 'absent', s_harm: 'true', s_home: 'hazard', h_health: 'good', h_mood: 'distress', e_school: 'at_risk', f_income: 'hard' }
const BLUE = { g_status: 'weak', s_harm: 'false', s_home: 'safe', h_health: 'good', h_mood: 'stable', e_school: 'in_school', f_income: 'stable' }
// Needs: living, safety, education and family found (four goals in the plan).
const NEEDS = { n_living: '2', n_safety: '3', n_education: '1', n_health: '0', n_mind: '0', n_family: '2' }
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex')

let browser
const pages = {}
let community = null
let eduName = ''
let childId = 0
let caseId = 0
let confId = 0

before(async () => {
  const d = await apiSession('director')
  community = d.me.org_unit
  await d.close()
  const dist = await apiSession('district')
  eduName = (await dist.get('/agencies?kind=department&page_size=200')).items.find((a) => a.name.endsWith('教育局')).name
  await dist.close()
  // One Chromium, an isolated context (own cookies) per user.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS })
  for (const user of ['director', 'supervisor', 'district', 'social', 'liaison']) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: BASE_URL })
    context.setDefaultTimeout(15000)
    context.setDefaultNavigationTimeout(30000)
    pages[user] = await context.newPage()
    await login(pages[user], user)
  }
})
after(async () => {
  await browser?.close().catch(() => {})
})

async function fillIn(locator, value) {
  await locator.click()
  await locator.fill(value)
  await locator.press('Enter')
}
async function pickOption(page, selectSel, text) {
  await page.locator(selectSel).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
/** Waits for the answer to the next request whose method and path match, while `action` runs. */
async function answerOf(page, method, pathRe, action) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && pathRe.test(new URL(r.url()).pathname)),
    action(),
  ])
  assert.ok(res.ok(), `${method} ${res.url()} → ${res.status()} ${await res.text().catch(() => '')}`)
  return res.json().catch(() => null)
}
async function caseStatus(page) {
  return (await page.locator('[data-test=case-page] [data-test=case-status]').first().innerText()).trim()
}
async function caseAct(page, action) {
  await answerOf(page, 'POST', /\/api\/v1\/cases\/\d+\/actions$/, () => page.locator(`[data-test=case-act-${action}]`).click())
}
async function newAssessment(page, kind, answers) {
  await page.locator('[data-test=assessment-new]').first().click()
  await page.locator(`[data-test=assessment-new-${kind}]:visible`).click()
  await page.waitForURL(/\/assessments\/\d+$/)
  await page.locator('[data-test=assessment-form]').waitFor()
  for (const [q, v] of Object.entries(answers)) await page.locator(`[data-test=opt-${q}-${v}]`).click()
}
async function completeAssessment(page) {
  await page.locator('[data-test=assessment-complete]').click()
  await answerOf(page, 'POST', /\/api\/v1\/assessments\/\d+\/complete$/, () => page.locator('.el-message-box__btns .el-button--primary').click())
}
async function openCasePage(page) {
  await page.goto(`/cases/${caseId}`)
  await page.locator('[data-test=case-page]').waitFor()
}
/** Every test starts its users' pages at 1440 px (a failed phone step must not leave a page narrow). */
beforeEach(async () => {
  for (const p of Object.values(pages)) if (p.viewportSize()?.width !== 1440) await p.setViewportSize({ width: 1440, height: 900 })
})

/** The work items of `kind` in `user`'s 我的待办 (API: checks what the page showed). */
async function inboxItems(user, kind) {
  const s = await apiSession(user)
  try {
    return (await s.get(`/inbox?kind=${kind}&page_size=200`)).items
  } finally {
    await s.close()
  }
}

test('1. the 儿童主任 files a child and proposes entry; the street reviews and the district confirms: 在册', async () => {
  const p = pages.director
  await p.goto('/children/new')
  await p.locator(field('cf-name')).fill(childName)
  await p.locator('[data-test=cf-sex-female]').click()
  await fillDate(p, field('cf-birth-date'), birth)
  await p.locator(field('cf-id-number')).fill(idNumber('440307', birth, tag % 500, false))
  await p.locator('.el-select[data-test=cf-community]').click()
  await p.locator('.el-tree-node__content:visible', { hasText: community.name }).first().click()
  await p.locator(field('cf-residence-address')).fill('布吉街道长龙社区幸福路 12 号 501')
  await addFamilyMember(p, { relation: 'father', name: '欧阳强', state: 'imprisoned', since: monthsAgo(8) })
  await addFamilyMember(p, { relation: 'mother', name: '林芳', state: 'missing', since: monthsAgo(8) })
  const dup = p.locator('[data-test=dup-dialog]')
  await p.locator('[data-test=cc-submit]').click()
  await Promise.race([p.waitForURL(/\/children\/\d+$/), dup.waitFor().then(() => dup.locator('[data-test=dup-continue]').click())])
  await p.waitForURL(/\/children\/\d+$/)
  childId = Number(new URL(p.url()).pathname.split('/').pop())
  await p.locator('[data-test=cf-title]', { hasText: childName }).waitFor()
  await p.locator('[data-test=cf-categories] [data-test=cat-de_facto_unsupported]').waitFor()
  assert.match(await p.locator('[data-test=cf-roll-status]').innerText(), /未在册/)

  await p.locator('[data-test=cf-propose-entry]').click()
  const dlg = p.locator('[data-test=roll-propose-dialog]')
  await dlg.locator('[data-test=rp-category]').click()
  await p.locator('[data-test=rp-category-de_facto_unsupported]:visible').click()
  await dlg.locator(textarea('rp-reason')).fill('父亲服刑在押、母亲失联均满6个月，符合事实无人抚养儿童认定条件')
  await dlg.locator('[data-test=rp-submit]').click()
  await p.locator('[data-test=cf-roll-status]', { hasText: '增员审核中' }).waitFor()

  const s = pages.supervisor
  await s.goto('/roll/review')
  const srow = s.locator(`[data-test=roll-table] tr.roll-child-${childId}`)
  await srow.locator('[data-test^=roll-review-]').click()
  await s.locator(textarea('roll-note')).fill('已入户核实')
  await s.locator('[data-test=roll-act-submit]').click()
  await srow.waitFor({ state: 'detached' })

  const a = pages.district
  await a.goto('/roll/confirm')
  const arow = a.locator(`[data-test=roll-table] tr.roll-child-${childId}`)
  await arow.locator('[data-test^=roll-confirm-]').click()
  await a.locator('[data-test=roll-act-submit]').click()
  await arow.waitFor({ state: 'detached' })

  await p.reload()
  await p.locator('[data-test=cf-roll-status]', { hasText: /^\s*在册\s*$/ }).waitFor()
})

test('2. the assessment due shows at once in the social worker\'s 我的待办; a risk assessment grades red, then the needs', async () => {
  assert.ok(childId)
  const p = pages.social
  await p.goto('/inbox')
  // The 评估到期 tab counts it; the item names the child and links to the child's 个案 tab.
  const tab = p.locator('[data-test=inbox-tab-assessment_due]')
  await tab.waitFor()
  assert.ok(Number(await tab.locator('[data-test=inbox-tab-count]').innerText()) >= 1)
  await tab.click()
  const row = p.locator('[data-test=inbox-table] .inbox-row', { hasText: childName })
  await row.waitFor()
  assert.match(await row.innerText(), /新纳入儿童双评估/)
  await screenshot(p, 'path-01-inbox-assessment-due')
  await row.locator('[data-test=inbox-link]').click()
  await p.waitForURL(new RegExp(`/children/${childId}\\?tab=cases$`))
  await p.locator('[data-test=child-cases]').waitFor()

  // 接案 from the child's 个案 tab (source: the roll); the social worker opening it is its worker.
  await p.locator('[data-test=child-case-open]').click()
  await p.locator(textarea('case-open-reason')).fill('新纳入事实无人抚养儿童，父亲服刑、母亲失联，祖辈无力照料')
  await p.locator('[data-test=case-open-submit]').click()
  await p.waitForURL(/\/cases\/\d+$/)
  caseId = Number(new URL(p.url()).pathname.split('/').pop())
  await p.locator('[data-test=case-page]').waitFor()
  assert.equal(await caseStatus(p), '接案')
  assert.match(await p.locator('[data-test=case-page] .el-descriptions').first().innerText(), /周敏/)

  await newAssessment(p, 'risk', RED)
  await p.locator(':is(input[data-test=num-g_unseen_months],[data-test=num-g_unseen_months] input)').fill('14')
  await completeAssessment(p)
  await p.locator('[data-test=assessment-grade][data-grade=red]').waitFor()
  assert.match(await p.locator('[data-test=assessment-result]').innerText(), /立即介入/)
  await screenshot(p, 'path-02-risk-red')
  await p.locator('text=返回个案').click()
  await p.locator('[data-test=case-page]').waitFor()
  await newAssessment(p, 'needs', NEEDS)
  await completeAssessment(p)
  await p.locator('[data-test=assessment-result]').waitFor()
  await p.locator('text=返回个案').click()
  await p.locator('[data-test=case-page]').waitFor()
  assert.equal(await p.locator('[data-test=case-page] [data-test=case-grade]').first().getAttribute('data-grade'), 'red')
  assert.equal(await caseStatus(p), '评估')
  assert.equal(await p.locator('[data-test=assessment-list] .el-table__body tr').count(), 2)
  // The deadline is met: the item left the inbox.
  assert.equal((await inboxItems('social', 'assessment_due')).some((i) => i.subject.label.startsWith(childName)), false)
})

test('3. the red tag shows on the child file, the children list and the case list', async () => {
  const p = pages.social
  await p.goto(`/children/${childId}`)
  await p.locator('[data-test=cf-grade][data-grade=red]').waitFor()
  await screenshot(p, 'path-03-file-red')
  await p.goto('/children?risk_grade=red')
  const crow = p.locator(`[data-test=children-table] tr.child-${childId}`)
  await crow.waitFor()
  assert.equal(await crow.locator('[data-test=grade-tag]').getAttribute('data-grade'), 'red')
  await p.goto('/cases')
  const krow = p.locator('[data-test=cases-table] .el-table__row', { hasText: childName })
  await krow.waitFor()
  assert.equal(await krow.locator('[data-test=grade-tag]').getAttribute('data-grade'), 'red')
  assert.match(await krow.innerText(), /评估/)
})

test('4. the plan (一人一策) drafted from the assessments: a goal per need, a service, a 1+N member, a task; approved; 介入', async () => {
  const p = pages.social
  await openCasePage(p)
  // Straight from the assessments (the case is 评估) to the plan section on the case page.
  const section = p.locator('[data-test=plan-section]')
  // The assessed needs show above the plan.
  for (const need of ['生活', '安全', '教育', '家庭关系']) await section.locator('.needs', { hasText: need }).waitFor()
  await section.locator('[data-test=plan-new]').click()
  const dlg = p.locator('[data-test=plan-editor]')
  await dlg.waitFor()
  const goals = dlg.locator('[data-test=goal-row]')
  await goals.first().waitFor()
  assert.equal(await goals.count(), 4, 'one goal row per assessed need')
  const texts = ['保障基本生活，落实事实无人抚养儿童基本生活补贴', '消除居家安全隐患，掌握自我保护知识', '按时到校，学业稳定', '联系母亲，修复亲子关系']
  for (let i = 0; i < 4; i++) await goals.nth(i).locator(field('goal-text')).fill(texts[i])
  await dlg.locator('[data-test=service-line-add]').click()
  await dlg.locator(field('service-title')).first().fill('每周入户探访与情绪支持')
  await dlg.locator('[data-test=member-add]').click()
  await dlg.locator('[data-test=member-role]').first().click()
  await p.locator('.el-select-dropdown__item:visible').filter({ hasText: /村|居|干部/ }).first().click()
  await dlg.locator(field('member-name')).first().fill('陈桂兰')
  await dlg.locator(field('member-phone')).first().fill('13912345678')
  await dlg.locator('[data-test=task-add]').click()
  await dlg.locator(field('task-title')).first().fill('申请临时救助并落实生活补贴')
  await fillIn(dlg.locator('[data-test=task-row]').first().locator('.el-date-editor input'), shanghaiDay(20))
  await screenshot(p, 'path-04-plan-editor')
  await answerOf(p, 'POST', /\/api\/v1\/cases\/\d+\/plans$/, () => dlg.locator('[data-test=plan-save]').click())
  await dlg.waitFor({ state: 'hidden' })
  await section.locator('[data-test=plan-status]', { hasText: '草稿' }).waitFor()
  // Drafting the plan is the case's 计划 step.
  await p.locator('[data-test=case-page] [data-test=case-status]', { hasText: /^\s*计划\s*$/ }).first().waitFor()
  assert.equal(await section.locator('[data-test=plan-goals] .el-table__body tr').count(), 4)
  assert.equal((await section.locator('[data-test=team-phone]').first().innerText()).trim(), '139****5678')
  await answerOf(p, 'POST', /\/api\/v1\/plans\/\d+\/actions$/, () => section.locator('[data-test=plan-submit]').click())
  await section.locator('[data-test=plan-status]', { hasText: '待审批' }).waitFor()

  // The station approves from its 计划审批 queue.
  const s = pages.supervisor
  await s.goto('/plan-approvals')
  await s.locator(`[data-test=approval-open][href="/cases/${caseId}/plan"]`).click()
  await s.locator('[data-test=plan-approve]').click()
  await s.locator('.el-message-box textarea').fill('同意，按计划落实')
  await answerOf(s, 'POST', /\/api\/v1\/plans\/\d+\/actions$/, () => s.locator('.el-message-box .el-button--primary').click())
  await s.locator('[data-test=plan-status]', { hasText: '已批准' }).waitFor()
  await screenshot(s, 'path-05-plan-approved')

  await openCasePage(p)
  assert.equal(await caseStatus(p), '介入')
  await p.locator('[data-test=plan-section] [data-test=plan-status]', { hasText: '已批准' }).waitFor()
})

test('5. visits are weekly now; the 儿童主任 records two visits on a 390 px phone', async () => {
  const p = pages.director
  await p.setViewportSize({ width: 390, height: 844 })
  await p.goto(`/children/${childId}?tab=visits`)
  const sched = p.locator('[data-test=child-visit-schedule]')
  await sched.locator('[data-grade=red]').waitFor()
  assert.match(await sched.innerText(), /按风险等级，每 7 天一次/)
  for (const [i, visit] of [
    { note: '孩子在家，情绪低落，奶奶卧病', need: 'living', follow: '联系街道落实临时救助', photo: true },
    { note: '救助已到位，孩子情绪好转', need: 'education', follow: '下周与班主任沟通出勤', photo: false },
  ].entries()) {
    await p.locator('[data-test=child-visit-record]').click()
    await p.waitForURL(new RegExp(`/visits/record/${childId}$`))
    await p.locator('[data-test=visit-form-child]', { hasText: childName }).waitFor()
    await p.locator('[data-test=vf-child_state-fair]').click()
    await p.locator('[data-test=vf-home_state-poor]').click()
    await p.locator('[data-test=vf-guardian_care-fair]').click()
    await p.locator('[data-test=vf-child-note]').fill(visit.note)
    await p.locator(`[data-test=vf-need-${visit.need}]`).click()
    await p.locator('[data-test=vf-follow-ups]').fill(visit.follow)
    if (visit.photo) {
      await p.locator('[data-test=vf-photo-input]').setInputFiles({ name: 'home.png', mimeType: 'image/png', buffer: PNG })
      await p.locator('[data-test=vf-photo]').waitFor()
    }
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'the form fits 390 px')
    if (i === 0) await screenshot(p, 'path-06-visit-phone')
    await answerOf(p, 'POST', new RegExp(`/api/v1/children/${childId}/visits$`), () => p.locator('[data-test=vf-save]').click())
    await p.waitForURL(new RegExp(`/children/${childId}$`))
    await p.locator('#tab-visits').click()
    await p.locator('[data-test=child-visit]').nth(i).waitFor()
  }
  const visits = p.locator('[data-test=child-visit]')
  assert.equal(await visits.count(), 2)
  assert.match(await visits.first().innerText(), /下周与班主任沟通出勤/)
  await p.locator('[data-test=child-visits] img.thumb').first().waitFor()
  assert.match(await p.locator('[data-test=child-visit-schedule]').innerText(), new RegExp(`应于 ${shanghaiDay(7)} 前走访`))
  await screenshot(p, 'path-07-visits-phone')
  await p.setViewportSize({ width: 1440, height: 900 })
})

test('6. the station convenes a case conference with departments; the minutes turn decisions into tasks', async () => {
  const p = pages.supervisor
  await p.goto(`/children/${childId}`)
  await p.locator('.el-tabs__item', { hasText: '会商' }).click()
  await p.locator('[data-test=child-convene]').click()
  await p.locator('[data-test=convene-page]').waitFor()
  await pickOption(p, '[data-test=convene-reason]', '风险等级为红色')
  await fillDate(p, field('convene-when'), `${shanghaiDay(1)} 15:00`)
  await p.locator(field('convene-place')).fill('布吉街道未成年人保护工作站会议室')
  await p.locator(textarea('convene-agenda')).fill('通报评估结果；明确教育、社区分工')
  await p.locator('[data-test=convene-add-participant]').click()
  await pickOption(p, '[data-test=participant-agency]', eduName)
  await p.locator('[data-test=convene-add-participant]').click()
  await p.locator('[data-test=convene-participant]').nth(1).locator('.el-select').first().click()
  await p.locator('.el-select-dropdown__item:visible', { hasText: '人员' }).first().click()
  await p.locator('[data-test=convene-participant]').nth(1).locator(field('participant-name')).fill('王秀英（社区儿童主任）')
  await answerOf(p, 'POST', /\/api\/v1\/conferences$/, () => p.locator('[data-test=convene-submit]').click())
  await p.locator('[data-test=conference-page]').waitFor()
  confId = Number(p.url().match(/conferences\/(\d+)/)[1])
  await p.locator('[data-test=conference-status]', { hasText: '待召开' }).waitFor()
  assert.match(await p.locator('[data-test=conference-participants]').innerText(), new RegExp(eduName))

  await p.locator('[data-test=conference-record]').click()
  const dlg = p.locator('[data-test=record-dialog]')
  for (const r of await dlg.locator('[data-test=record-attendance]').all()) await r.locator('label').first().click()
  await dlg.locator(textarea('record-discussion')).fill('与会各方同意：教育局协调学校安排心理辅导，社区落实每周走访与临时照料')
  // A decision for 区教育局 (its liaison's task) and one for the community (its 儿童主任's).
  await dlg.locator('[data-test=record-add-decision]').click()
  const d1 = dlg.locator('[data-test=record-decision]').nth(0)
  await d1.locator(field('decision-content')).fill('协调学校安排每两周一次心理辅导')
  await d1.locator('[data-test=decision-agency]').click()
  await p.locator('.el-select-dropdown__item:visible', { hasText: eduName }).first().click()
  await fillIn(d1.locator(field('decision-due')), shanghaiDay(14))
  await dlg.locator('[data-test=record-add-decision]').click()
  const d2 = dlg.locator('[data-test=record-decision]').nth(1)
  await d2.locator(field('decision-content')).fill('落实临时照料人并每周走访')
  await d2.locator('.el-select').nth(0).click()
  await p.locator('.el-select-dropdown__item:visible', { hasText: '街道/社区' }).first().click()
  await d2.locator('.el-select').nth(1).click()
  // The street's tree opens lazily: expand the street, pick the community.
  const street = p.locator('.el-tree-node:visible', { has: p.locator('> .el-tree-node__content', { hasText: '布吉' }) }).first()
  await street.locator('> .el-tree-node__content .el-tree-node__expand-icon').click()
  await street.locator('.el-tree-node__content', { hasText: community.name }).first().click()
  await fillIn(d2.locator(field('decision-due')), shanghaiDay(7))
  await screenshot(p, 'path-08-conference-minutes')
  await answerOf(p, 'POST', new RegExp(`/api/v1/conferences/${confId}/record$`), () => dlg.locator('[data-test=record-save]').click())
  await p.locator('[data-test=conference-status]', { hasText: '已召开' }).waitFor()
  const decisions = p.locator('[data-test=conference-decisions]')
  await decisions.locator('text=协调学校安排每两周一次心理辅导').waitFor()
  await decisions.locator('text=落实临时照料人并每周走访').waitFor()
  await screenshot(p, 'path-09-conference-held')
})

test('7. the department liaison and the 儿童主任 complete their decisions from 我的待办; the conference closes', async () => {
  for (const [user, content, result] of [
    ['liaison', '协调学校安排每两周一次心理辅导', '已安排学校心理老师每两周辅导一次'],
    ['director', '落实临时照料人并每周走访', '已由姑姑临时照料，每周走访已排定'],
  ]) {
    const p = pages[user]
    await p.goto('/inbox')
    const tab = p.locator('[data-test=inbox-tab-conference_decision]')
    await tab.click()
    const row = p.locator('[data-test=inbox-table] .inbox-row', { hasText: content })
    await row.waitFor()
    await row.locator('[data-test=inbox-link]').click()
    await p.waitForURL(/\/conferences\/decisions\/\d+$/)
    await p.locator('[data-test=decision-content]', { hasText: content }).waitFor()
    await p.locator(textarea('decision-note')).fill(result)
    if (user === 'liaison') await screenshot(p, 'path-10-decision-liaison')
    await answerOf(p, 'POST', /\/api\/v1\/conference-decisions\/\d+\/complete$/, () => p.locator('[data-test=decision-submit]').click())
    await p.locator('[data-test=decision-status]', { hasText: '已办结' }).waitFor()
    assert.equal((await inboxItems(user, 'conference_decision')).some((i) => i.title.includes(content) || i.subject.label.includes(content)), false)
  }
  const p = pages.supervisor
  await p.goto(`/conferences/${confId}`)
  await p.locator('[data-test=conference-close]').click()
  await answerOf(p, 'POST', new RegExp(`/api/v1/conferences/${confId}/close$`), () => p.locator('.el-message-box__btns .el-button--primary').click())
  await p.locator('[data-test=conference-status]', { hasText: '已办结' }).waitFor()
  // The printed minutes: every decision with its result; the number column stays narrow (it took a fifth of the
  // table when the fixed layout shared the width equally).
  await p.goto(`/conferences/${confId}/print`)
  const table = p.locator('[data-test=print-decisions]')
  await table.locator('td', { hasText: '已安排学校心理老师每两周辅导一次' }).waitFor()
  const [seq, all] = await Promise.all([p.locator('[data-test=print-decision-seq]').boundingBox(), table.boundingBox()])
  assert.ok(seq.width < all.width * 0.1, `# is ${seq.width} of ${all.width} px`)
  await screenshot(p, 'path-10b-minutes-print')
})

test('8. a reassessment grades lower (blue); the visits go monthly; the case closes with a reason', async () => {
  const p = pages.social
  await openCasePage(p)
  await caseAct(p, 'review')
  await p.locator('[data-test=case-page] [data-test=case-status]', { hasText: '回顾评估' }).first().waitFor()
  await caseAct(p, 'reassess')
  await p.locator('[data-test=case-page] [data-test=case-status]', { hasText: '评估' }).first().waitFor()
  await newAssessment(p, 'risk', BLUE)
  await p.locator(':is(input[data-test=num-g_unseen_months],[data-test=num-g_unseen_months] input)').fill('6')
  await completeAssessment(p)
  await p.locator('[data-test=assessment-grade][data-grade=blue]').waitFor()
  await p.locator('text=返回个案').click()
  await p.locator('[data-test=case-page]').waitFor()
  assert.equal(await p.locator('[data-test=case-page] [data-test=case-grade]').first().getAttribute('data-grade'), 'blue')
  await p.goto(`/children/${childId}?tab=visits`)
  await p.locator('[data-test=cf-grade][data-grade=blue]').waitFor()
  assert.match(await p.locator('[data-test=child-visit-schedule]').innerText(), /每 30 天一次/)
  await p.goto(`/children/${childId}?tab=cases`)
  const history = p.locator('[data-test=grade-history] [data-test=grade-tag]')
  await history.nth(1).waitFor()
  assert.deepEqual(await history.evaluateAll((els) => els.map((e) => e.getAttribute('data-grade')).sort()), ['blue', 'red'])

  await openCasePage(p)
  await p.locator('[data-test=case-act-close]').click()
  await p.locator('.el-message-box textarea').fill('风险降为蓝色，监护照料落实，转入常规走访')
  await answerOf(p, 'POST', /\/api\/v1\/cases\/\d+\/actions$/, () => p.locator('.el-message-box .el-button--primary').click())
  await p.locator('[data-test=case-page] [data-test=case-status]', { hasText: '结案' }).first().waitFor()
  assert.match(await p.locator('[data-test=case-page] .el-descriptions').first().innerText(), /风险降为蓝色/)
  // The timeline has every step from intake to closure.
  const timeline = await p.locator('[data-test=case-timeline]').innerText()
  for (const step of ['接案', '进入计划', '开始介入', '回顾评估', '重新评估', '结案']) assert.match(timeline, new RegExp(step))
  await screenshot(p, 'path-11-case-closed')
  await p.goto(`/children/${childId}?tab=cases`)
  await p.locator('[data-test=child-cases]', { hasText: '该儿童目前没有未结案的个案' }).waitFor()

  // Final state: the case is closed and none of its work is open.
  const s = await apiSession('social')
  try {
    const k = await s.get(`/cases/${caseId}`)
    assert.equal(k.status, 'closed')
    assert.equal(k.grade.code, 'blue')
    // None of the case's work (review, plan, plan tasks) nor the risk assessment deadline stays open; the child's
    // yearly guardianship assessment (事实无人抚养: guardianship_due) is the child's, not the case's.
    const open = (await s.get('/inbox?page_size=200')).items
      .filter((i) => i.link.startsWith(`/cases/${caseId}`) || (i.kind === 'assessment_due' && i.link === `/children/${childId}?tab=cases`))
    assert.deepEqual(open, [])
  } finally {
    await s.close()
  }
})
