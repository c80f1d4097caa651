import { defineStore } from 'pinia'
import { api } from '@/platform/client'
import type { Role } from '@/platform/types'

/** Reference data shared by pages (roles). Loaded once per session. */
export const useRefData = defineStore('refdata', {
  state: () => ({ roles: [] as Role[], loaded: false }),
  actions: {
    async loadRoles(): Promise<Role[]> {
      if (!this.loaded) {
        const res = await api.get<{ items: Role[] }>('/roles')
        this.roles = res.items || []
        this.loaded = true
      }
      return this.roles
    },
  },
})
