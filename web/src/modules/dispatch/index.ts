import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const dispatch: WebModule = {
  name: 'dispatch',
  routes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    'report.detail': [{ key: 'dispatch', order: 10, component: defineAsyncComponent(() => import('./components/ReportDispatchPanel.vue')) }],
    'report.print': [{ key: 'dispatch', order: 10, component: defineAsyncComponent(() => import('./components/PrintTimeline.vue')) }],
    'workbench.cards': [{ key: 'dispatch', order: 10, perms: ['stats.read'], component: defineAsyncComponent(() => import('./components/WorkbenchCard.vue')) }],
    'child.reports': [{ key: 'dispatch', order: 10, perms: ['report.read', 'report.triage', 'dispatch.handle'], component: defineAsyncComponent(() => import('./components/ChildOrders.vue')) }],
  },
}
