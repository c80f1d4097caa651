import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes, bareRoutes } from './routes'
import { conferencesApi } from './api'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

const caseSection = () => import('./views/CaseConferences.vue')

export const conferences: WebModule = {
  name: 'conferences',
  routes,
  bareRoutes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    'child.tabs': [{ key: 'conferences', title: 'cnf.child.tab', perms: ['conference.read'], order: 30, component: defineAsyncComponent(() => import('./views/ChildConferencesTab.vue')) }],
    // The case page's 个案会商: its request (by the case id) and its code start with the case's (preload), so the page's
    // three requests (case, plan, conferences) run at once.
    'case.detail': [{
      key: 'conferences', perms: ['conference.read'], order: 30, component: defineAsyncComponent(caseSection),
      preload: (caseId: number) => { conferencesApi.preloadCase(caseId); void caseSection().catch(() => undefined) },
    }],
  },
}
