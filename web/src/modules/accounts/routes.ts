// Accounts and org units (组织机构, 用户, 审计) routes, grouped under 系统管理 in the side menu.
import type { RouteRecordRaw } from 'vue-router'
import { OfficeBuilding, School, UserFilled, Document } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'system', redirect: '/system/org-units' },
  { path: 'system/org-units', name: 'org-units', component: () => import('./views/OrgUnitsView.vue'), meta: { title: 'menu.orgUnits', perms: ['org.read'], menu: { icon: OfficeBuilding, order: 900, group: 'system' } } },
  { path: 'system/org-units/:id(\\d+)', name: 'org-unit', component: () => import('./views/OrgUnitsView.vue'), meta: { title: 'menu.orgUnits', perms: ['org.read'] } },
  { path: 'system/agencies', name: 'agencies', component: () => import('./views/AgenciesView.vue'), meta: { title: 'menu.agencies', perms: ['org.read'], menu: { icon: School, order: 910, group: 'system' } } },
  { path: 'system/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { title: 'menu.users', perms: ['user.read'], watermark: true, menu: { icon: UserFilled, order: 920, group: 'system' } } },
  { path: 'system/users/:id(\\d+)', name: 'user', component: () => import('./views/UserDetailView.vue'), meta: { title: 'user.detailTitle', perms: ['user.read'], watermark: true } },
  { path: 'system/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: 'menu.audit', perms: ['audit.read'], watermark: true, menu: { icon: Document, order: 930, group: 'system' } } },
]
