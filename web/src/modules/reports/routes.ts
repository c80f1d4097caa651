// Reports (发现报告) routes. Meta builds the side menu (platform/layout/SideMenu.vue); permissions from
// src/modules/reports/permissions.h.
import type { RouteRecordRaw } from 'vue-router'
import { Bell, EditPen, Tickets, Calendar, Warning } from '@element-plus/icons-vue'

const ANY_REPORT = ['report.read', 'report.triage', 'report.write', 'report.mandatory']

export const routes: RouteRecordRaw[] = [
  { path: 'reports', name: 'reports', component: () => import('./views/ReportsListView.vue'), meta: { title: 'menu.reports', perms: ['report.read', 'report.triage'], queue: 'all', watermark: true, menu: { icon: Bell, order: 20 } } },
  { path: 'reports/new', name: 'report-new', component: () => import('./views/ReportFormView.vue'), meta: { title: 'menu.repNew', perms: ['report.write'], menu: { icon: EditPen, order: 21 } } },
  { path: 'reports/mandatory', name: 'report-mandatory', component: () => import('./views/ReportFormView.vue'), meta: { title: 'menu.repMandatory', perms: ['report.mandatory'], channel: 'mandatory', menu: { icon: Warning, order: 22 } } },
  { path: 'reports/mine', name: 'reports-mine', component: () => import('./views/ReportsListView.vue'), meta: { title: 'menu.repMine', perms: ['report.mandatory', 'report.write'], queue: 'mine', watermark: true, menu: { icon: Tickets, order: 23, unless: ['report.read', 'report.triage'] } } },
  { path: 'reports/:id(\\d+)', name: 'report', component: () => import('./views/ReportDetailView.vue'), meta: { title: 'menu.repDetail', perms: ANY_REPORT, watermark: true } },
  { path: 'duty', name: 'duty', component: () => import('./views/DutyView.vue'), meta: { title: 'menu.duty', perms: ['duty.manage', 'report.triage'], menu: { icon: Calendar, order: 61 } } },
]

/** Without the app shell: the public report page and tracking (no login), the A4 工作流转单. */
export const bareRoutes: RouteRecordRaw[] = [
  { path: '/report', name: 'report-public', component: () => import('./views/PublicReportView.vue'), meta: { public: true, title: 'menu.repPublic' } },
  { path: '/report/track', name: 'report-track', component: () => import('./views/PublicTrackView.vue'), meta: { public: true, title: 'menu.repTrack' } },
  { path: '/reports/:id(\\d+)/print', name: 'report-print', component: () => import('./views/ReportPrintView.vue'), meta: { title: 'rep.print.title', perms: ['report.read', 'report.triage'] } },
]
