// 个案 (cases) routes. Meta builds the side menu; permissions from src/modules/cases/permissions.h
// (case.read, case.write declared by the platform).
import type { RouteRecordRaw } from 'vue-router'
import { FolderOpened } from '@element-plus/icons-vue'

export const routes: RouteRecordRaw[] = [
  { path: 'cases', name: 'cases', component: () => import('./views/CasesListView.vue'), meta: { title: 'menu.cases', perms: ['case.read'], watermark: true, menu: { icon: FolderOpened, order: 30 } } },
  { path: 'cases/:id(\\d+)', name: 'case', component: () => import('./views/CaseDetailView.vue'), meta: { title: 'menu.caseDetail', perms: ['case.read'], watermark: true } },
  { path: 'assessments/compare', name: 'assessment-compare', component: () => import('./views/CompareView.vue'), meta: { title: 'menu.compare', perms: ['case.read'], watermark: true } },
  { path: 'assessments/:id(\\d+)', name: 'assessment', component: () => import('./views/AssessmentView.vue'), meta: { title: 'menu.assessment', perms: ['case.read'], watermark: true } },
]
