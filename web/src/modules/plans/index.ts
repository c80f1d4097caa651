import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes, bareRoutes } from './routes'
import { plansApi } from './api'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

const planSection = () => import('./components/CasePlanSection.vue')

export const plans: WebModule = {
  name: 'plans',
  routes,
  bareRoutes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    // The case page's plan section: the plan, its versions, service records (props: caseRecord, reload). Its request and
    // its code start with the case's (preload), not after the case has rendered.
    'case.detail': [{
      key: 'plans', order: 10, perms: ['case.read'], component: defineAsyncComponent(planSection),
      preload: (caseId: number) => { plansApi.preloadCase(caseId); void planSection().catch(() => undefined) },
    }],
  },
}
