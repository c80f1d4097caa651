// Live counts for the side menu and the bell: my open to-dos (and overdue ones), the subtree's overdue items for
// supervisors, unread notifications. Polled once a minute while the person is at the screen (see
// platform/session.ts: polls must not keep an unattended session alive).
import { defineStore } from 'pinia'
import { inboxApi, type KindCount } from './api'
import { useAuth } from '@/platform/stores/auth'
import { userActiveWithin } from '@/platform/session'
import { onWrite } from '@/platform/client'

export const OVERSEE_PERMS = ['work.oversee']
const POLL_MS = 60_000
const ACTIVE_MS = 5 * 60_000

export const useInbox = defineStore('inbox', {
  state: () => ({
    total: null as number | null,
    overdue: 0,
    counts: [] as KindCount[],
    supervise: null as number | null,
    unread: 0,
    /** False when the server has no inbox API (yet): the views say so instead of showing zeros. */
    available: true,
    timer: 0,
    /** Pending refresh after a write (an outcome, a review...): the counts follow at once, not at the next poll. */
    soon: 0,
    unsubscribe: null as null | (() => void),
  }),
  actions: {
    async refresh() {
      const auth = useAuth()
      if (!auth.loggedIn) return
      const jobs: Promise<unknown>[] = [
        inboxApi.inbox({ page: 1, page_size: 1 }).then(
          (r) => {
            this.available = true
            this.total = r.total
            this.counts = r.counts || []
            this.overdue = this.counts.reduce((a, c) => a + (c.overdue || 0), 0)
          },
          () => {
            this.available = false
            this.total = null
          },
        ),
        inboxApi.notifications({ unread: 1, page: 1, page_size: 1 }).then((r) => (this.unread = r.unread ?? r.total), () => {}),
      ]
      if (auth.can(...OVERSEE_PERMS)) {
        jobs.push(inboxApi.overdue({ page: 1, page_size: 1 }).then((r) => (this.supervise = r.total), () => (this.supervise = null)))
      }
      await Promise.allSettled(jobs)
    },
    start() {
      if (this.timer) return
      this.refresh()
      this.unsubscribe = onWrite(() => {
        window.clearTimeout(this.soon)
        this.soon = window.setTimeout(() => this.refresh(), 400)
      })
      this.timer = window.setInterval(() => {
        if (document.visibilityState === 'visible' && userActiveWithin(ACTIVE_MS)) this.refresh()
      }, POLL_MS)
    },
    stop() {
      window.clearInterval(this.timer)
      window.clearTimeout(this.soon)
      this.unsubscribe?.()
      this.unsubscribe = null
      this.timer = 0
    },
  },
})
