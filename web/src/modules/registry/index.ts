import type { WebModule } from '@/platform/module'
import { routes, bareRoutes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const registry: WebModule = { name: 'registry', routes, bareRoutes, messages: { 'zh-CN': zhCN, en } }
