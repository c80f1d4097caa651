// The order's other steps in the browser (issue 11): the liaison sends an order back (退单, reason required) and the
// center rejects the return (the order waits for acceptance again); after accepting, the liaison asks for more time
// (申请延期 to a date) and the center approves it: the handling deadline becomes that day. Screenshot:
// docs/screenshots/reports-extension-1440.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startBrowser, newPage, login, apiSession, screenshot } from './helpers.mjs'

const field = (name) => `:is(input[data-test=${name}],[data-test=${name}] input)`
const textarea = (name) => `:is(textarea[data-test=${name}],[data-test=${name}] textarea)`
const tag = Date.now()
let liaison, center
let orderId = 0

before(async () => {
  const d = await apiSession('district')
  const r = await d.post('/reports', { channel: 'hotline', description: `动作测试${tag % 100000}：学生家长反映孩子长期被锁在家中。`, place: '坂田街道某小区', situations: ['s6'], anonymous: true })
  const t = await d.post(`/reports/${r.id}/triage`, { version: r.version, urgency: 'routine', category: 'guardianship', note: '' })
  const depts = await d.get('/agencies?kind=department&page_size=200')
  const edu = depts.items.find((a) => a.name.endsWith('教育局'))
  const out = await d.post(`/reports/${r.id}/dispatch`, { version: t.version, lead: { agency_id: edu.id, instructions: '请学校核实并家访' }, co: [] })
  orderId = out.items[0].id
  await d.close()
  liaison = await startBrowser()
  center = await startBrowser()
})
after(async () => {
  await liaison?.close()
  await center?.close()
})

async function act(page, action, fill) {
  await page.locator(`[data-test=act-${action}]`).click()
  const dlg = page.locator(`[data-test=action-dialog][data-action=${action}]`)
  await dlg.waitFor()
  await fill(dlg)
  await dlg.locator('[data-test=act-save]').click()
  await dlg.waitFor({ state: 'hidden' })
}

test('退单 with a reason; the center rejects the return and the order waits for acceptance again', async () => {
  const lp = await newPage(liaison.context)
  await login(lp, 'liaison')
  await lp.goto(`/dispatch/${orderId}`)
  await lp.locator('[data-test=order-state]', { hasText: '待签收' }).waitFor()
  await act(lp, 'return', async (dlg) => {
    // The reason is required.
    await dlg.locator('[data-test=act-save]').click()
    await dlg.locator('.el-form-item__error', { hasText: '请填写说明' }).waitFor()
    await dlg.locator(textarea('act-note')).fill('该事项属于街道监护照料，不属于教育局职责')
  })
  await lp.locator('[data-test=order-state]', { hasText: '退单待审' }).waitFor()
  await lp.locator('[data-test=order-no-actions]').waitFor()

  const cp = await newPage(center.context)
  await login(cp, 'district')
  await cp.goto(`/dispatch/${orderId}`)
  await cp.locator('[data-test=act-approve_return]').waitFor()
  await act(cp, 'reject_return', async (dlg) => dlg.locator(textarea('act-note')).fill('孩子在校就读，请教育局先行核实'))
  await cp.locator('[data-test=order-state]', { hasText: '待签收' }).waitFor()
})

test('申请延期 to a date; the center approves and the handling deadline moves to it', async () => {
  const lp = await newPage(liaison.context)
  await lp.goto(`/dispatch/${orderId}`)
  await lp.locator('[data-test=act-accept]').click()
  await lp.locator('[data-test=order-state]', { hasText: '办理中' }).waitFor()
  const d = new Date(Date.now() + 8 * 3600 * 1000 + 30 * 86400 * 1000).toISOString().slice(0, 10)
  await act(lp, 'request_extension', async (dlg) => {
    const input = dlg.locator(field('act-due-date'))
    await input.click()
    await input.fill(d)
    await input.press('Enter')
    await dlg.locator(textarea('act-note')).fill('需等待家长返深后家访')
  })
  await lp.locator('[data-test=order-state]', { hasText: '延期待审' }).waitFor()

  const cp = await newPage(center.context)
  await cp.goto(`/dispatch/${orderId}`)
  await act(cp, 'approve_extension', async () => {})
  await cp.locator('[data-test=order-state]', { hasText: '办理中' }).waitFor()
  await cp.locator('[data-test=order-deadlines]', { hasText: d }).waitFor()
  await cp.locator('[data-test=timeline-step][data-action=approve_extension]').waitFor()
  await screenshot(cp, 'reports-extension-1440')
  const api = await apiSession('district')
  const o = await api.get(`/dispatch-orders/${orderId}`)
  assert.ok(o.handle_due_at.startsWith(d), `handling deadline ${o.handle_due_at} is ${d}`)
  assert.equal(o.extensions, 1)
  await api.close()
})
