import { defineStore } from 'pinia'
import { api, ApiError, setCsrfToken } from '@/platform/client'
import type { Me } from '@/platform/types'

export const useAuth = defineStore('auth', {
  state: () => ({
    me: null as Me | null,
    /** True once we have asked the server whether a session exists. */
    probed: false,
  }),
  getters: {
    loggedIn: (s) => !!s.me,
    perms: (s) => new Set(s.me?.permissions || []),
  },
  actions: {
    can(...perms: string[]): boolean {
      const p = this.perms
      return perms.some((x) => p.has(x))
    },
    setMe(me: Me, csrf?: string) {
      this.me = me
      setCsrfToken(csrf ?? me.csrf_token)
    },
    async probe(): Promise<void> {
      if (this.probed) return
      try {
        const me = await api.get<Me>('/me', { quiet: 'all', noAuthRedirect: true })
        this.setMe(me)
      } catch {
        this.me = null
      } finally {
        this.probed = true
      }
    },
    async refresh(): Promise<void> {
      const me = await api.get<Me>('/me', { noAuthRedirect: true })
      this.setMe(me)
    },
    async login(username: string, password: string): Promise<Me> {
      // At 08:30 a whole office logs in at once: when every password-hashing slot is taken the
      // server answers 503 login_busy (Retry-After: 2); wait and queue again, a few times.
      let res: { user: Me; csrf_token: string } | undefined
      for (let attempt = 0; !res; attempt++) {
        try {
          res = await api.post<{ user: Me; csrf_token: string }>(
            '/auth/login',
            { username, password },
            { quiet: 'all', noAuthRedirect: true },
          )
        } catch (e) {
          if (!(e instanceof ApiError) || e.code !== 'login_busy' || attempt >= 5) throw e
          await new Promise((r) => setTimeout(r, 2000))
        }
      }
      this.setMe(res.user, res.csrf_token)
      this.probed = true
      return res.user
    },
    clear() {
      this.me = null
      setCsrfToken('')
    },
    async logout(all = false): Promise<void> {
      try {
        await api.post(all ? '/auth/logout-all' : '/auth/logout', {}, { quiet: 'all', noAuthRedirect: true })
      } finally {
        this.clear()
      }
    },
  },
})
