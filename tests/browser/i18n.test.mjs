// Every literal i18n key of the web app exists in zh-CN and en (web/scripts/check-i18n.mjs; no browser needed).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

test('every literal i18n key is in zh-CN and en', () => {
  const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/scripts/check-i18n.mjs')
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
})
