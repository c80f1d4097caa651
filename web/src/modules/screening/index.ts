import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const screening: WebModule = { name: 'screening', routes, messages: { 'zh-CN': zhCN, en } }
