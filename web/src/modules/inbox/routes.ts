// 我的待办 and 督办. Their menu entries carry live counts from the inbox store.
import type { RouteRecordRaw } from 'vue-router'
import { Bell, AlarmClock } from '@element-plus/icons-vue'
import { useInbox, OVERSEE_PERMS } from './store'

export const routes: RouteRecordRaw[] = [
  { path: 'inbox', name: 'inbox', component: () => import('./views/InboxView.vue'), meta: { title: 'menu.inbox', inbox: 'mine', watermark: true, menu: { icon: Bell, order: 10, badge: () => useInbox().total, badgeAlert: () => useInbox().overdue > 0 } } },
  { path: 'inbox/overdue', name: 'supervise', component: () => import('./views/InboxView.vue'), meta: { title: 'menu.supervise', inbox: 'overdue', perms: OVERSEE_PERMS, watermark: true, menu: { icon: AlarmClock, order: 11, badge: () => useInbox().supervise, badgeAlert: () => true } } },
]
