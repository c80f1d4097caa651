import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes, bareRoutes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const conferences: WebModule = {
  name: 'conferences',
  routes,
  bareRoutes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    'child.tabs': [{ key: 'conferences', title: 'cnf.child.tab', perms: ['conference.read'], order: 30, component: defineAsyncComponent(() => import('./views/ChildConferencesTab.vue')) }],
    'case.detail': [{ key: 'conferences', perms: ['conference.read'], order: 30, component: defineAsyncComponent(() => import('./views/CaseConferences.vue')) }],
  },
}
