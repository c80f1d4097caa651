import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const guardianship: WebModule = {
  name: 'guardianship',
  routes,
  messages: { 'zh-CN': zhCN, en },
  extensions: { 'child.tabs': [{ key: 'guardianship', title: 'guard.childTab', perms: ['guardianship.read'], order: 7, component: defineAsyncComponent(() => import('./views/ChildGuardianshipTab.vue')) }] },
}
