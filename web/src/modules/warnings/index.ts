import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const warnings: WebModule = {
  name: 'warnings',
  routes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    'child.tabs': [{ key: 'warnings', title: 'wrn.tab', perms: ['warning.read'], order: 15, component: defineAsyncComponent(() => import('./views/ChildWarningsTab.vue')) }],
    'workbench.cards': [{ key: 'warnings', order: 5, perms: ['warning.read'], component: defineAsyncComponent(() => import('./views/WorkbenchCard.vue')) }],
  },
}
