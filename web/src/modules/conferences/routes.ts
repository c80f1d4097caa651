// Case conference (个案会商) routes. Meta builds the side menu; the decision page is the link of the
// conference_decision work items (我的待办).
import type { RouteRecordRaw } from 'vue-router'
import { ChatDotSquare, Finished } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'conferences', name: 'conferences', component: () => import('./views/ConferencesView.vue'), meta: { title: 'menu.cnfList', perms: ['conference.read'], watermark: true, menu: { icon: ChatDotSquare, order: 30 } } },
  { path: 'conferences/new', name: 'conference-new', component: () => import('./views/ConveneView.vue'), meta: { title: 'menu.cnfNew', perms: ['conference.manage'] } },
  { path: 'conferences/:id(\\d+)', name: 'conference', component: () => import('./views/ConferenceView.vue'), meta: { title: 'menu.cnfDetail', perms: ['conference.read'], watermark: true } },
  { path: 'conferences/:id(\\d+)/edit', name: 'conference-edit', component: () => import('./views/ConveneView.vue'), meta: { title: 'menu.cnfEdit', perms: ['conference.manage'] } },
  { path: 'conferences/decisions', name: 'conference-decisions', component: () => import('./views/MyDecisionsView.vue'), meta: { title: 'menu.cnfTasks', perms: ['conference.task'], watermark: true, menu: { icon: Finished, order: 31 } } },
  { path: 'conferences/decisions/:id(\\d+)', name: 'conference-decision', component: () => import('./views/DecisionView.vue'), meta: { title: 'menu.cnfTask', perms: ['conference.task', 'conference.read'], watermark: true } },
]

/** Without the app shell: the A4 minutes. */
export const bareRoutes: RouteRecordRaw[] = [
  { path: '/conferences/:id(\\d+)/print', name: 'conference-print', component: () => import('./views/ConferencePrintView.vue'), meta: { title: 'cnf.print.title', perms: ['conference.read'] } },
]
