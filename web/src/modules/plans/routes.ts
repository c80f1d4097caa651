// Plans routes. The plan section itself lives on the case page (slot 'case.detail'); the full-page plan
// (/cases/:id/plan) is the same section alone (phones, and the link before the case page has the slot).
import type { RouteRecordRaw } from 'vue-router'
import { Connection, Stamp } from '@element-plus/icons-vue'

const READ = ['case.read']

export const routes: RouteRecordRaw[] = [
  { path: 'service-groups', name: 'service-groups', component: () => import('./views/GroupsView.vue'), meta: { title: 'menu.plnGroups', perms: READ, watermark: true, menu: { icon: Connection, order: 33 } } },
  { path: 'service-groups/:id(\\d+)', name: 'service-group', component: () => import('./views/GroupDetailView.vue'), meta: { title: 'menu.plnGroup', perms: READ, watermark: true } },
  { path: 'plan-approvals', name: 'plan-approvals', component: () => import('./views/ApprovalsView.vue'), meta: { title: 'menu.plnApprovals', perms: ['plan.approve'], menu: { icon: Stamp, order: 34 } } },
  { path: 'cases/:id(\\d+)/plan', name: 'case-plan', component: () => import('./views/CasePlanView.vue'), meta: { title: 'menu.plnCasePlan', perms: READ, watermark: true } },
]

/** A4 print views without the shell. */
export const bareRoutes: RouteRecordRaw[] = [
  { path: '/plans/:id(\\d+)/print', name: 'plan-print', component: () => import('./views/PlanPrintView.vue'), meta: { title: 'menu.plnPrint', perms: READ } },
  { path: '/service-records/:id(\\d+)/print', name: 'service-record-print', component: () => import('./views/RecordPrintView.vue'), meta: { title: 'menu.plnRecordPrint', perms: READ } },
]
