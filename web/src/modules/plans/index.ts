import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes, bareRoutes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const plans: WebModule = {
  name: 'plans',
  routes,
  bareRoutes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    // The case page's plan section: the plan, its versions, service records (props: caseRecord, reload).
    'case.detail': [{ key: 'plans', order: 10, perms: ['case.read'], component: defineAsyncComponent(() => import('./components/CasePlanSection.vue')) }],
  },
}
