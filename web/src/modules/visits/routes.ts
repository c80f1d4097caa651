// Visits (走访) routes. Meta builds the side menu; the record page is the link of the visit_due work items.
import type { RouteRecordRaw } from 'vue-router'
import { Calendar, DataAnalysis } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'visits', name: 'visits-due', component: () => import('./views/DueListView.vue'), meta: { title: 'menu.visDue', perms: ['visit.read'], watermark: true, menu: { icon: Calendar, order: 30 } } },
  { path: 'visits/record/:childId(\\d+)', name: 'visit-record', component: () => import('./views/VisitFormView.vue'), meta: { title: 'menu.visRecord', perms: ['visit.write'], watermark: true } },
  { path: 'visits/stats', name: 'visits-stats', component: () => import('./views/StatsView.vue'), meta: { title: 'menu.visStats', perms: ['visit.read'], menu: { icon: DataAnalysis, order: 62 } } },
]
