import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCN from './zh-CN'
import en from './en'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import { setApiLocale } from '@/api/client'

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

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
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
