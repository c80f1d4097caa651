import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { hooks } from '@/api/client'
import { useAuth } from '@/stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** The user needs at least one of these permissions. */
    perms?: string[]
    title?: string
    module?: string
    /** Roll-request queue shown by RollQueueView. */
    queue?: 'review' | 'confirm' | 'mine'
  }
}

const Placeholder = () => import('@/views/PlaceholderView.vue')

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: 'auth.loginTitle' } },
  { path: '/change-password', name: 'change-password', component: () => import('@/views/ChangePasswordView.vue'), meta: { title: 'auth.changePassword' } },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', redirect: '/dashboard' },
      { path: 'dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: 'menu.dashboard' } },
      { path: 'children', name: 'children', component: () => import('@/views/children/ChildrenListView.vue'), meta: { title: 'menu.children', perms: ['child.read'] } },
      { path: 'children/new', name: 'child-new', component: () => import('@/views/children/ChildCreateView.vue'), meta: { title: 'menu.childNew', perms: ['child.write'] } },
      { path: 'children/:id(\\d+)', name: 'child', component: () => import('@/views/children/ChildFileView.vue'), meta: { title: 'menu.childFile', perms: ['child.read'] } },
      { path: 'roll/review', name: 'roll-review', component: () => import('@/views/children/RollQueueView.vue'), meta: { title: 'menu.rollReview', perms: ['roll.review'], queue: 'review' } },
      { path: 'roll/confirm', name: 'roll-confirm', component: () => import('@/views/children/RollQueueView.vue'), meta: { title: 'menu.rollConfirm', perms: ['roll.confirm'], queue: 'confirm' } },
      { path: 'roll/mine', name: 'roll-mine', component: () => import('@/views/children/RollQueueView.vue'), meta: { title: 'menu.rollMine', perms: ['roll.propose'], queue: 'mine' } },
      { path: 'screening', name: 'screening', redirect: () => (useAuth().can('screening.manage') ? '/screening/batches' : '/screening/tasks'), meta: { perms: ['screening.manage', 'screening.verify'] } },
      { path: 'screening/sources', name: 'screening-sources', component: () => import('@/views/screening/SourcesView.vue'), meta: { title: 'menu.scrSources', perms: ['screening.manage'] } },
      { path: 'screening/batches', name: 'screening-batches', component: () => import('@/views/screening/BatchesView.vue'), meta: { title: 'menu.scrBatches', perms: ['screening.manage'] } },
      { path: 'screening/batches/:id(\\d+)', name: 'screening-batch', component: () => import('@/views/screening/BatchDetailView.vue'), meta: { title: 'menu.scrBatch', perms: ['screening.manage'] } },
      { path: 'screening/units', name: 'screening-units', component: () => import('@/views/screening/UnitStatsView.vue'), meta: { title: 'scr.units.title', perms: ['screening.manage', 'stats.read'] } },
      { path: 'screening/tasks', name: 'screening-tasks', component: () => import('@/views/screening/TasksView.vue'), meta: { title: 'menu.scrTasks', perms: ['screening.verify'] } },
      { path: 'reports', name: 'reports', component: Placeholder, meta: { title: 'menu.reports', module: 'reports', perms: ['report.read'] } },
      { path: 'cases', name: 'cases', component: Placeholder, meta: { title: 'menu.cases', module: 'cases', perms: ['case.read'] } },
      { path: 'resources', name: 'resources', component: Placeholder, meta: { title: 'menu.resources', module: 'resources', perms: ['resource.read'] } },
      { path: 'stats', name: 'stats', component: Placeholder, meta: { title: 'menu.stats', module: 'stats', perms: ['stats.read'] } },
      { path: 'system', redirect: '/system/org-units' },
      { path: 'system/org-units', name: 'org-units', component: () => import('@/views/system/OrgUnitsView.vue'), meta: { title: 'menu.orgUnits', perms: ['org.read'] } },
      { path: 'system/org-units/:id(\\d+)', name: 'org-unit', component: () => import('@/views/system/OrgUnitsView.vue'), meta: { title: 'menu.orgUnits', perms: ['org.read'] } },
      { path: 'system/agencies', name: 'agencies', component: () => import('@/views/system/AgenciesView.vue'), meta: { title: 'menu.agencies', perms: ['org.read'] } },
      { path: 'system/users', name: 'users', component: () => import('@/views/system/UsersView.vue'), meta: { title: 'menu.users', perms: ['user.read'] } },
      { path: 'system/users/:id(\\d+)', name: 'user', component: () => import('@/views/system/UserDetailView.vue'), meta: { title: 'user.detailTitle', perms: ['user.read'] } },
      { path: 'system/audit', name: 'audit', component: () => import('@/views/system/AuditView.vue'), meta: { title: 'menu.audit', perms: ['audit.read'] } },
      { path: 'profile', name: 'profile', component: () => import('@/views/ProfileView.vue'), meta: { title: 'menu.profile' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue') },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
    ],
  },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  const auth = useAuth()
  await auth.probe()
  if (to.meta.public) {
    if (to.name === 'login' && auth.loggedIn && !auth.me!.must_change_password) return { path: '/dashboard' }
    return true
  }
  if (!auth.loggedIn) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (auth.me!.must_change_password && to.name !== 'change-password') {
    return { name: 'change-password', query: { redirect: to.fullPath } }
  }
  if (to.meta.perms && !auth.can(...to.meta.perms)) return { name: 'forbidden' }
  return true
})

// The API client calls these; keep the intended route so login can return to it.
hooks.onUnauthenticated = () => {
  const auth = useAuth()
  auth.clear()
  const cur = router.currentRoute.value
  if (cur.name !== 'login') router.push({ name: 'login', query: { redirect: cur.fullPath } })
}
hooks.onPasswordChangeRequired = () => {
  const auth = useAuth()
  if (auth.me) auth.me.must_change_password = true
  const cur = router.currentRoute.value
  if (cur.name !== 'change-password') router.push({ name: 'change-password', query: { redirect: cur.fullPath } })
}
