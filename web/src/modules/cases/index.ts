import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const cases: WebModule = {
  name: 'cases',
  routes,
  messages: { 'zh-CN': zhCN, en },
  extensions: { 'child.tabs': [{ key: 'cases', title: 'cases.childTab', perms: ['case.read'], order: 5, component: defineAsyncComponent(() => import('./views/ChildCasesTab.vue')) }] },
}
