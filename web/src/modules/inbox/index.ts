import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import NotificationBell from './components/NotificationBell.vue'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const inbox: WebModule = { name: 'inbox', routes, topbar: [NotificationBell], messages: { 'zh-CN': zhCN, en } }
