// Early warnings (预警) routes. Meta builds the side menu; /warnings/:id is the link of the `warning` work items.
import type { RouteRecordRaw } from 'vue-router'
import { Bell } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'warnings', name: 'warnings', component: () => import('./views/WarningsView.vue'), meta: { title: 'menu.warnings', perms: ['warning.read'], watermark: true, menu: { icon: Bell, order: 28 } } },
  { path: 'warnings/:id(\\d+)', name: 'warning', component: () => import('./views/WarningDetailView.vue'), meta: { title: 'menu.warning', perms: ['warning.read'], watermark: true } },
]
