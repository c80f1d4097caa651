import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes, bareRoutes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const reports: WebModule = {
  name: 'reports',
  routes,
  bareRoutes,
  messages: { 'zh-CN': zhCN, en },
  extensions: { 'child.tabs': [{ key: 'reports', title: 'rep.child.tab', perms: ['report.read', 'report.triage'], order: 10, component: defineAsyncComponent(() => import('./views/ChildReportsTab.vue')) }] },
}
