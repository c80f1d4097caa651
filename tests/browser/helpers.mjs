// Shared helpers for the browser tests. They drive Debian's Chromium through playwright-core against a live
// Tonghu server whose base URL is in TH_BASE_URL (./test.sh starts one with a fresh demo database).
import { chromium, request as pwRequest } from 'playwright-core'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const BASE_URL = (process.env.TH_BASE_URL || 'http://127.0.0.1:18080').replace(/\/$/, '')
export const DEMO_PASSWORD = process.env.TH_DEMO_PASSWORD || 'Demo@2026tonghu'
export const CHROMIUM = process.env.TH_CHROMIUM || '/usr/bin/chromium'
const here = path.dirname(fileURLToPath(import.meta.url))
export const SCREENSHOT_DIR = process.env.TH_SCREENSHOT_DIR || path.resolve(here, '../../docs/screenshots')

/** Chromium's flags for every browser test (also for a test that launches one browser with several contexts). */
export const BROWSER_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
]

/**
 * Starts a headless Chromium with a fresh profile. Returns { context, close }.
 * Each call is an isolated browser (own cookies and localStorage).
 */
export async function startBrowser() {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'th-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: BROWSER_ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: BASE_URL,
    timeout: 30000,
  })
  context.setDefaultTimeout(15000)
  context.setDefaultNavigationTimeout(30000)
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export async function newPage(context) {
  const page = context.pages()[0] || (await context.newPage())
  return page
}

/** Logs in through the login form and waits for the app shell (or the forced password page). */
export async function login(page, username, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.locator(':is(input[data-test=login-username],[data-test=login-username] input)').fill(username)
  await page.locator(':is(input[data-test=login-password],[data-test=login-password] input)').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20000 })
}

/** Visible top-level and system menu labels, in order. */
export async function menuLabels(page) {
  await page.locator('[data-test=side-menu]').waitFor()
  return (await page.locator('[data-test=side-menu] .el-menu-item, [data-test=side-menu] .el-sub-menu__title').allInnerTexts())
    .map((s) => s.trim())
    .filter(Boolean)
}

export async function menuKeys(page) {
  await page.locator('[data-test=side-menu]').waitFor()
  return page.locator('[data-test=side-menu] [data-test^=menu-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test').slice(5)))
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // Let transitions and lazy data settle so the picture shows the real page.
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForTimeout(400)
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false })
}

/** An API session (cookie jar) for arranging test data directly over HTTP. */
export async function apiSession(username, password = DEMO_PASSWORD) {
  const ctx = await pwRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { Accept: 'application/json' } })
  const res = await ctx.post('/api/v1/auth/login', { data: { username, password } })
  if (!res.ok()) throw new Error(`login ${username} failed: ${res.status()} ${await res.text()}`)
  const body = await res.json()
  const csrf = body.csrf_token
  return {
    ctx,
    me: body.user,
    async get(p) {
      const r = await ctx.get('/api/v1' + p)
      if (!r.ok()) throw new Error(`GET ${p}: ${r.status()} ${await r.text()}`)
      return r.json()
    },
    async post(p, data) {
      const r = await ctx.post('/api/v1' + p, { data, headers: { 'X-CSRF-Token': csrf } })
      if (!r.ok()) throw new Error(`POST ${p}: ${r.status()} ${await r.text()}`)
      return r.status() === 204 ? null : r.json()
    },
    async close() {
      await ctx.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf } }).catch(() => {})
      await ctx.dispose()
    },
  }
}

/** Finds a user by exact username via GET /users?q=. */
export async function findUser(api, username) {
  const r = await api.get(`/users?q=${encodeURIComponent(username)}&page_size=200`)
  return r.items.find((u) => u.username === username)
}

/** Finds an org unit by exact name via GET /org-units?q= (searches the caller's subtree). */
export async function findUnit(api, name) {
  const r = await api.get(`/org-units?q=${encodeURIComponent(name)}&page_size=200`)
  return r.items.find((u) => u.name === name)
}

/**
 * The district uploads a department file naming children unknown to the registry in `community`, so its
 * 儿童主任 gets open 核查任务 (verification tasks, each a work item in 我的待办). Waits for the batch to finish.
 */
export async function seedVerificationTasks(community, names, tag = Date.now()) {
  const district = await apiSession('district')
  try {
    const src = await district.post('/screening/sources', {
      name: `待办测试 ${tag}`, dept_type: 'education',
      mapping: { name: '姓名', birth_date: '出生日期', community: '所在社区', school_name: '就读学校', hukou_region_code: '户籍区划' },
    })
    const csv = ['姓名,出生日期,所在社区,就读学校,户籍区划', ...names.map((n, i) => `${n},201${i % 8}-0${(i % 8) + 1}-1${i % 9},${community.code},实验小学,511321`)]
      .join('\r\n') + '\r\n'
    const csrf = (await (await district.ctx.get('/api/v1/me')).json()).csrf_token
    const r = await district.ctx.post(`/api/v1/screening/batches?source_id=${src.id}&file_name=todo.csv`, {
      data: Buffer.from(csv, 'utf8'), headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': csrf },
    })
    if (r.status() !== 202) throw new Error(`upload: ${r.status()} ${await r.text()}`)
    const id = (await r.json()).id
    for (let i = 0; i < 300; i++) {
      const b = await district.get(`/screening/batches/${id}`)
      if (b.status === 'done' || b.status === 'failed') return b
      await new Promise((res) => setTimeout(res, 100))
    }
    throw new Error('batch did not finish')
  } finally {
    await district.close()
  }
}

/** Screenshots of the current page at 1440, 1366 and 390 px wide (`<name>-1440.png` ...); ends at 1440. */
export async function screenshotWidths(page, name, ready) {
  for (const [w, h] of [[1440, 900], [1366, 768], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h })
    await page.waitForTimeout(300)
    if (ready) await ready(page)
    await screenshot(page, `${name}-${w}`)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

/** A valid GB 11643 ID number: region (6 digits), birth YYYY-MM-DD, a sequence, sex by the 17th digit. */
export function idNumber(region, birth, seq, male) {
  const s = String((seq * 2 + (male ? 1 : 0)) % 1000).padStart(3, '0')
  const body = `${region}${birth.replace(/-/g, '')}${s}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((a, ch, i) => a + Number(ch) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

/** Files a child in the caller's community (an apiSession of a 儿童主任) with a family and a guardian. */
export async function createChild(api, name, tag = Date.now()) {
  const birth = `2015-0${(tag % 9) + 1}-1${tag % 10}`
  return api.post('/children', {
    name, sex: 'male', birth_date: birth, id_number: idNumber('440307', birth, tag % 500, true),
    community_id: api.me.org_unit.id, hukou_nature: 'agricultural', hukou_region_code: '440307', flow_status: 'local',
    director_user_id: api.me.id, residence_address: '布吉街道长龙社区幸福路 8 号 302',
    family: [
      { relation: 'father', name: '慕容刚', state: 'imprisoned', state_since: '2024-01-01', restriction_months: 36 },
      { relation: 'mother', name: '苏梅', state: 'missing', state_since: '2024-02-01' },
    ],
    guardian: { name: '慕容奶奶', relation: 'grandmother', phone: '13800005555' },
  })
}

/** Types a date (or date-time) into an Element Plus picker's input and confirms it. */
export async function fillDate(page, selector, value) {
  const input = page.locator(selector)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}

/** On the child form: adds a family member through its dialog (relation, name, state, since YYYY-MM-DD). */
export async function addFamilyMember(page, { relation, name, state, since }) {
  const field = (n) => `:is(input[data-test=${n}],[data-test=${n}] input)`
  await page.locator('[data-test=cc-add-member]').click()
  const dlg = page.locator('[data-test=member-dialog]')
  await dlg.waitFor()
  await dlg.locator('[data-test=mf-relation]').click()
  await page.locator(`[data-test=mf-relation-${relation}]:visible`).click()
  await dlg.locator(field('mf-name')).fill(name)
  await dlg.locator('[data-test=mf-state]').click()
  await page.locator(`[data-test=mf-state-${state}]:visible`).click()
  if (since) await fillDate(page, field('mf-state-since'), since)
  await dlg.locator('[data-test=mf-submit]').click()
  await dlg.waitFor({ state: 'hidden' })
}
