// Every literal i18n key the web app uses exists in zh-CN and in en (platform strings deep-merged with each
// module's, as web/src/platform/i18n/index.ts does). Run: node web/scripts/check-i18n.mjs (exit 1 on a miss).
// Keys built at run time (t(`child.${group}.${code}`)) are not checked here.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src')
const load = (f) => new Function(fs.readFileSync(f, 'utf8').replace(/^\s*export default/m, 'return'))()
const merge = (into, from) => {
  for (const [k, v] of Object.entries(from)) into[k] = typeof v === 'object' && typeof into[k] === 'object' ? merge({ ...into[k] }, v) : v
  return into
}
const modules = fs.readdirSync(path.join(src, 'modules'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
const messages = {}
for (const l of ['zh-CN', 'en']) {
  messages[l] = load(path.join(src, `platform/i18n/${l}.ts`))
  for (const m of modules) {
    const f = path.join(src, `modules/${m}/i18n.${l}.ts`)
    if (fs.existsSync(f)) merge(messages[l], load(f))
  }
}
const has = (obj, key) => key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj) !== undefined

const files = []
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.(vue|ts)$/.test(e.name) && !/i18n/.test(e.name) && files.push(path.join(d, e.name))))
walk(src)
const KEY = /\b(?:t|te)\(\s*['`]([a-zA-Z][\w]*(?:\.[\w]+)+)['`]|\b(?:title|label): '([a-zA-Z]\w*\.[\w.]+)'/g
const missing = []
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8')
  for (const m of text.matchAll(KEY)) {
    const key = m[1] || m[2]
    for (const l of ['zh-CN', 'en']) if (!has(messages[l], key)) missing.push(`${path.relative(src, f)}: ${key} (${l})`)
  }
}
if (missing.length) {
  console.error(`missing i18n keys:\n${[...new Set(missing)].join('\n')}`)
  process.exit(1)
}
console.log(`i18n: ${files.length} files, every literal key present in zh-CN and en`)
