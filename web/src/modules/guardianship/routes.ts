// 监护干预 routes. Meta builds the side menu; permissions from src/modules/guardianship/permissions.h.
import type { RouteRecordRaw } from 'vue-router'
import { Umbrella } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'guardianship', name: 'guardianship', component: () => import('./views/GuardianshipListView.vue'), meta: { title: 'menu.guardianship', perms: ['guardianship.read'], watermark: true, menu: { icon: Umbrella, order: 34 } } },
  { path: 'guardianship/:id(\\d+)', name: 'guardianship-detail', component: () => import('./views/GuardianshipDetailView.vue'), meta: { title: 'menu.guardianshipDetail', perms: ['guardianship.read'], watermark: true } },
]
