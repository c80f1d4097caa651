// Case statistics (个案统计) routes. Meta builds the side menu.
import type { RouteRecordRaw } from 'vue-router'
import { Histogram } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'case-stats', name: 'case-stats', component: () => import('./views/CaseStatsView.vue'), meta: { title: 'menu.cstStats', perms: ['casestat.read'], watermark: true, menu: { icon: Histogram, order: 61 } } },
]
