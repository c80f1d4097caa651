// Guardianship interventions in the browser (issue 12): the social worker proposes a temporary guardianship from
// the child file's 监护干预 tab on Art 92 grounds, the district approves, the worker places the child with relatives,
// records a placement check on a 390 px phone, the return home is refused without a return assessment, a passing
// 家庭监护能力评估 is completed and linked, and the child returns home; the timeline shows every step. The placement's
// phone, revealed, is a tel: link on the desktop and on a phone. Screenshots: docs/screenshots/guardianship-*.png at
// 1440, 1366 and 390 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot, screenshotWidths, createChild } from './helpers.mjs'

const tag = Date.now()
const childName = `欧阳${['晓彤', '子墨', '雨萱', '思齐'][tag % 4]}${'一二三四五六七八'[Math.floor(tag / 7) % 8]}`
let childId = 0
let b

before(async () => {
  const d = await apiSession('director')
  childId = (await createChild(d, childName, tag)).id
  await d.close()
  b = await startBrowser()
})
after(async () => {
  await b?.close()
})

const text = (page, sel) => page.locator(sel).first().innerText().then((s) => s.trim())

test('temporary guardianship: placement, a check on a phone, the return gate, the return home', async () => {
  const page = await newPage(b.context)
  await login(page, 'social')
  await page.goto(`/children/${childId}?tab=guardianship`)
  await page.locator('[data-test=child-guardianship]').waitFor()
  await page.locator('[data-test=child-guard-propose]').click()
  await page.locator('[data-test=guard-propose-grounds] .el-checkbox').nth(2).click()
  await page.locator(':is(textarea[data-test=guard-propose-reason],[data-test=guard-propose-reason] textarea)').fill('母亲失联，父亲服刑，奶奶病重住院，孩子无人照料')
  await page.locator('[data-test=guard-propose-submit]').click()
  await page.waitForURL(/\/guardianship\/\d+$/)
  await page.locator('[data-test=guardianship-page]').waitFor()
  assert.equal(await text(page, '[data-test=guard-status]'), '待审批')
  const id = Number(page.url().match(/(\d+)$/)[1])
  // The district approves (its own session).
  const district = await apiSession('district')
  const g = await district.get(`/guardianship/${id}`)
  await district.post(`/guardianship/${id}/decide`, { action: 'approve', note: '同意，优先亲属抚养', version: g.version })
  await district.close()
  await page.reload()
  await page.locator('[data-test=guard-act-place]').click()
  await page.locator(':is(input[data-test=guard-place-name],[data-test=guard-place-name] input)').fill('姑姑欧阳丽家')
  await page.locator(':is(input[data-test=guard-place-contact],[data-test=guard-place-contact] input)').fill('欧阳丽')
  await page.locator(':is(input[data-test=guard-place-phone],[data-test=guard-place-phone] input)').fill('13923456781')
  await page.locator(':is(input[data-test=guard-place-address],[data-test=guard-place-address] input)').fill('布吉街道百鸽路 120 号 3 栋 601')
  await page.locator('[data-test=guard-dialog-submit]').click()
  await page.locator('[data-test=guard-placement]').waitFor()
  assert.equal(await text(page, '[data-test=guard-status]'), '安置中')
  // The placement's phone is masked; 显示 asks for a purpose and shows it (the registry's reveal, audited).
  assert.equal(await text(page, '[data-test=guard-phone-value]'), '139****6781')
  assert.ok(!(await page.locator('[data-test=guard-placement]').innerText()).includes('13923456781'), 'no plain phone on the page')
  await page.locator('[data-test=guard-phone-reveal]').click()
  await page.locator('.reveal-box input').fill('联系安置家庭安排回访')
  await page.locator('.reveal-box .el-button--primary').click()
  await page.waitForFunction(() => document.querySelector('[data-test=guard-phone-value]')?.textContent?.trim() === '13923456781')
  // Shown, the phone is a working tel: link, on the desktop and on a 390 px phone: in the viewport, not covered,
  // a finger-sized target. Screenshots docs/screenshots/guardianship-phone-{1440,390}.png.
  const tel = page.locator('[data-test=guard-phone-tel]')
  assert.equal(await tel.getAttribute('href'), 'tel:13923456781')
  // The purpose box closes and any toast leaves before "nothing covers it" is asked (both fade out).
  await page.locator('.reveal-box').waitFor({ state: 'hidden' })
  await page.waitForFunction(() => !document.querySelector('.el-message') &&
    ![...document.querySelectorAll('.el-overlay')].some((e) => getComputedStyle(e).display !== 'none'), null, { timeout: 10000 })
  for (const [w, h] of [[1440, 900], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h })
    await tel.scrollIntoViewIfNeeded()
    assert.ok(await tel.isVisible(), `the tel: link shows at ${w} px`)
    const box = await tel.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= w, `the tel: link inside the ${w} px viewport: ${JSON.stringify(box)}`)
    assert.ok(box.height >= 24, `a tap target at ${w} px (${box.height} px high)`)
    const onTop = await page.evaluate(([x, y]) => !!document.elementFromPoint(x, y)?.closest('[data-test=guard-phone-tel]'),
      [box.x + box.width / 2, box.y + box.height / 2])
    assert.ok(onTop, `nothing covers the tel: link at ${w} px`)
    const sw = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(sw <= w, `no sideways scroll at ${w} px (scrollWidth ${sw})`)
    await screenshot(page, `guardianship-phone-${w}`)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
  // A placement check on a phone.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.locator('[data-test=guard-check-form]').scrollIntoViewIfNeeded()
  await page.locator('[data-test=guard-check-state] .el-radio-button').first().click()
  await page.locator(':is(textarea[data-test=guard-check-notes],[data-test=guard-check-notes] textarea)').fill('情绪稳定，按时上学，姑姑照料细心')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= 390, `the check form fits a phone (scrollWidth ${width})`)
  await page.locator('[data-test=guard-check-submit]').click()
  await page.locator('[data-test=guard-checks] .el-timeline-item').first().waitFor()
  await page.setViewportSize({ width: 1440, height: 900 })
  // The return is refused without a return assessment.
  await page.locator('[data-test=guard-act-return]').click()
  await page.locator('[data-test=guard-dialog-submit]').click()
  await page.locator('[data-test=guard-dialog-error]').waitFor()
  assert.match(await text(page, '[data-test=guard-dialog-error]'), /家庭监护能力评估/)
  await page.keyboard.press('Escape')
  // A passing assessment (较好), completed by the worker, linked on the page.
  const social = await apiSession('social')
  const d = await social.post('/assessments', { child_id: childId, form: 'guardianship',
    answers: { gd_health: 'good', gd_will: 'willing', gd_care: 'good', gd_income: false, gd_housing: false } })
  await social.post(`/assessments/${d.id}/complete`, { version: d.version })
  await social.close()
  await page.reload()
  await page.locator('[data-test=guard-ra-pick]').click()
  await page.locator('.el-select-dropdown__item:visible').first().click()
  await page.locator('[data-test=guard-ra-result]').waitFor()
  assert.equal(await text(page, '[data-test=guard-ra-result]'), '评估通过')
  await screenshotWidths(page, 'guardianship-detail', async (p) => {
    await p.locator('[data-test=guardianship-page]').waitFor()
    await p.evaluate(() => document.querySelectorAll('*').forEach((e) => { if (e.scrollTop) e.scrollTop = 0 }))
  })
  await page.locator('[data-test=guard-act-return]').click()
  await page.locator(':is(textarea[data-test=guard-dialog-note],[data-test=guard-dialog-note] textarea)').fill('家庭监护能力评估较好，送返家庭')
  await page.locator('[data-test=guard-dialog-submit]').click()
  await page.waitForFunction(() => document.querySelector('[data-test=guard-status]')?.textContent?.includes('已返回家庭'))
  const steps = await page.locator('[data-test=guard-timeline] .el-timeline-item strong').allInnerTexts()
  assert.deepEqual(steps, ['提出监护干预', '批准', '安置', '安置回访', '关联返家评估', '返回家庭'])
  await page.goto('/guardianship')
  await page.locator('[data-test=guard-table]').waitFor()
  await screenshotWidths(page, 'guardianship-list', async (p) => p.locator('[data-test=guard-table]').waitFor())
  await page.close()
})

test('the 儿童主任 sees neither the menu entry nor the tab', async () => {
  const page = await newPage(b.context)
  await b.context.clearCookies()
  await login(page, 'director')
  await page.goto(`/children/${childId}`)
  await page.waitForLoadState('networkidle')
  assert.equal(await page.locator('[data-test=child-guardianship]').count(), 0)
  assert.equal(await page.locator('.el-menu a[href="/guardianship"], .el-menu [data-key=guardianship]').count(), 0)
  await page.close()
})
