import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/platform/module'
import { routes } from './routes'
import zhCN from './i18n.zh-CN'
import en from './i18n.en'

export const casestats: WebModule = {
  name: 'casestats',
  routes,
  messages: { 'zh-CN': zhCN, en },
  extensions: {
    'workbench.cards': [{ key: 'casestats', order: 20, perms: ['casestat.read'], component: defineAsyncComponent(() => import('./components/WorkbenchCard.vue')) }],
  },
}
