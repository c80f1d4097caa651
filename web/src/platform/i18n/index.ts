import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCN from './zh-CN'
import en from './en'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import { setApiLocale } from '@/platform/client'
import type { Messages } from '@/platform/module'
import { modules } from '@/modules'

export type AppLocale = 'zh-CN' | 'en'
const STORAGE_KEY = 'tonghu.locale'

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    /* storage unavailable */
  }
  return 'zh-CN'
}

/** Deep-merges module messages into the platform's (a module may add keys to shared groups such as `menu`). */
function merge(into: Messages, from: Messages): Messages {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k]
    into[k] = typeof v === 'object' && typeof cur === 'object' ? merge({ ...cur }, v) : v
  }
  return into
}
const messages = {
  'zh-CN': modules.reduce((acc, m) => merge(acc, m.messages['zh-CN']), merge({}, zhCN as Messages)),
  en: modules.reduce((acc, m) => merge(acc, m.messages.en), merge({}, en as Messages)),
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
})

setApiLocale(i18n.global.locale.value)
document.documentElement.lang = i18n.global.locale.value

export function setLocale(l: AppLocale): void {
  i18n.global.locale.value = l
  setApiLocale(l)
  document.documentElement.lang = l
  try {
    localStorage.setItem(STORAGE_KEY, l)
  } catch {
    /* ignore */
  }
}

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elEn : elZhCn))
export const t = (key: string, args?: Record<string, unknown>): string => i18n.global.t(key, args || {})
export const isEn = () => i18n.global.locale.value === 'en'
