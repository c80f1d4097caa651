// Registry (一人一档) routes. Meta builds the side menu (platform/layout/SideMenu.vue).
import type { RouteRecordRaw } from 'vue-router'
import { User, Stamp, Finished, Tickets } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'children', name: 'children', component: () => import('./views/ChildrenListView.vue'), meta: { title: 'menu.children', perms: ['child.read'], watermark: true, menu: { icon: User, order: 30 } } },
  { path: 'children/new', name: 'child-new', component: () => import('./views/ChildCreateView.vue'), meta: { title: 'menu.childNew', perms: ['child.write'] } },
  { path: 'children/:id(\\d+)', name: 'child', component: () => import('./views/ChildFileView.vue'), meta: { title: 'menu.childFile', perms: ['child.read'], watermark: true } },
  { path: 'roll/review', name: 'roll-review', component: () => import('./views/RollQueueView.vue'), meta: { title: 'menu.rollReview', perms: ['roll.review'], queue: 'review', watermark: true, menu: { icon: Stamp, order: 40 } } },
  { path: 'roll/confirm', name: 'roll-confirm', component: () => import('./views/RollQueueView.vue'), meta: { title: 'menu.rollConfirm', perms: ['roll.confirm'], queue: 'confirm', watermark: true, menu: { icon: Finished, order: 41 } } },
  { path: 'roll/mine', name: 'roll-mine', component: () => import('./views/RollQueueView.vue'), meta: { title: 'menu.rollMine', perms: ['roll.propose'], queue: 'mine', watermark: true, menu: { icon: Tickets, order: 42 } } },
]

/** Without the app shell: the A4 print view of a child's file. */
export const bareRoutes: RouteRecordRaw[] = [
  { path: '/children/:id(\\d+)/print', name: 'child-print', component: () => import('./views/ChildPrintView.vue'), meta: { title: 'print.title', perms: ['child.read'] } },
]
