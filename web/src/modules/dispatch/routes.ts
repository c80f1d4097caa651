// Dispatch (派单) routes. Meta builds the side menu; the order page is the link of the dispatch work items.
import type { RouteRecordRaw } from 'vue-router'
import { Position, DataLine } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'dispatch', name: 'dispatch-orders', component: () => import('./views/OrdersView.vue'), meta: { title: 'menu.dspOrders', perms: ['dispatch.handle', 'report.triage'], watermark: true, menu: { icon: Position, order: 24 } } },
  { path: 'dispatch/:id(\\d+)', name: 'dispatch-order', component: () => import('./views/OrderDetailView.vue'), meta: { title: 'menu.dspOrder', perms: ['dispatch.handle', 'report.triage', 'report.read'], watermark: true } },
  { path: 'dispatch/stats', name: 'dispatch-stats', component: () => import('./views/StatsView.vue'), meta: { title: 'menu.dspStats', perms: ['stats.read'], menu: { icon: DataLine, order: 60 } } },
]
