import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const visits: WebModule = {
  name: 'visits',
  routes,
  messages: { 'zh-CN': zhCN, en },
  extensions: { 'child.tabs': [{ key: 'visits', title: 'vis.tab', perms: ['visit.read'], order: 20, component: defineAsyncComponent(() => import('./views/ChildVisitsTab.vue')) }] },
}
