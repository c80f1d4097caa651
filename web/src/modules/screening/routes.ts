// Screening (双排查) routes. Meta builds the side menu (platform/layout/SideMenu.vue).
import type { RouteRecordRaw } from 'vue-router'
import { Search, Coin, Checked, DataAnalysis } from '@element-plus/icons-vue'
import { useAuth } from '@/platform/stores/auth'

export const routes: RouteRecordRaw[] = [
  { path: 'screening', name: 'screening', redirect: () => (useAuth().can('screening.manage') ? '/screening/batches' : '/screening/tasks'), meta: { perms: ['screening.manage', 'screening.verify'] } },
  { path: 'screening/sources', name: 'screening-sources', component: () => import('./views/SourcesView.vue'), meta: { title: 'menu.scrSources', perms: ['screening.manage'], menu: { icon: Coin, order: 51 } } },
  { path: 'screening/batches', name: 'screening-batches', component: () => import('./views/BatchesView.vue'), meta: { title: 'menu.scrBatches', perms: ['screening.manage'], menu: { icon: Search, order: 50 } } },
  { path: 'screening/batches/:id(\\d+)', name: 'screening-batch', component: () => import('./views/BatchDetailView.vue'), meta: { title: 'menu.scrBatch', perms: ['screening.manage'], watermark: true } },
  { path: 'screening/units', name: 'screening-units', component: () => import('./views/UnitStatsView.vue'), meta: { title: 'scr.units.title', perms: ['screening.manage', 'stats.read'], menu: { icon: DataAnalysis, order: 53 } } },
  { path: 'screening/tasks', name: 'screening-tasks', component: () => import('./views/TasksView.vue'), meta: { title: 'menu.scrTasks', perms: ['screening.verify'], watermark: true, menu: { icon: Checked, order: 52 } } },
  { path: 'screening/tasks/:id(\\d+)', name: 'screening-task', component: () => import('./views/TasksView.vue'), meta: { title: 'menu.scrTasks', perms: ['screening.verify'], watermark: true } },
]
