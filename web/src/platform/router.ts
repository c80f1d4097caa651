import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { hooks } from '@/platform/client'
import { useAuth } from '@/platform/stores/auth'
import { UserFilled } from '@element-plus/icons-vue'
import { modules } from '@/modules'
import '@/platform/module'

// The shell's own pages plus every module's routes (web/src/modules/index.ts); route meta builds the menu.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/platform/views/LoginView.vue'), meta: { public: true, title: 'auth.loginTitle' } },
  { path: '/change-password', name: 'change-password', component: () => import('@/platform/views/ChangePasswordView.vue'), meta: { title: 'auth.changePassword' } },
  ...modules.flatMap((m) => m.bareRoutes || []),
  {
    path: '/',
    name: 'app',
    component: () => import('@/platform/layout/AppLayout.vue'),
    children: [
      { path: '', redirect: '/dashboard' },
      ...modules.flatMap((m) => m.routes),
      { path: 'profile', name: 'profile', component: () => import('@/platform/views/ProfileView.vue'), meta: { title: 'menu.profile', menu: { icon: UserFilled, order: 1000 } } },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/platform/views/ForbiddenView.vue') },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/platform/views/NotFoundView.vue') },
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
