// 工作台: the first page after login.
import type { RouteRecordRaw } from 'vue-router'
import { Odometer } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'dashboard', name: 'dashboard', component: () => import('./views/WorkbenchView.vue'), meta: { title: 'menu.dashboard', watermark: true, menu: { icon: Odometer, order: 0 } } },
]
