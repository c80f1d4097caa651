// 我的待办, 督办 and notifications (docs/API.md "Work items and the inbox", "Notifications").
import { api } from '@/platform/client'
import type { Page } from '@/platform/types'

export interface KindCount {
  kind: string
  kind_name: string
  count: number
  overdue: number
  /** Not overdue now, due by the end of today (Asia/Shanghai). */
  due_today?: number
}

export interface WorkItem {
  id: number
  kind: string
  kind_name: string
  title: string
  subject: { type: string; id: number | string; label: string }
  unit: { id: number; name: string }
  state: string
  /** ISO-8601 with +08:00. */
  due_at: string | null
  overdue: boolean
  escalation_level: number
  /** A route of this app, e.g. /children/123 or /screening/tasks/45. */
  link: string
  version: number
}

export type WorkAction = 'request_extension' | 'approve_extension' | 'reject_extension'

/** GET /work-items/{id}: the item with its history and what the caller may do now. */
export interface WorkItemDetail extends WorkItem {
  is_open: boolean
  started_at: string
  warn_at: string
  district_at: string
  round: number
  closed_at: string | null
  steps: { id: number; action: string; from_state: string; to_state: string; by: { id: number; name: string } | null; at: string; note: string; due_at: string | null }[]
  escalations: { id: number; round: number; level: number; step: string; unit: { id: number; name: string }; at: string }[]
  actions: WorkAction[]
}

export interface InboxPage extends Page<WorkItem> {
  counts: KindCount[]
  /** 督办 only: more overdue items than the total counts (it stops at 10,000). */
  total_capped?: boolean
}

export interface Notification {
  id: number
  title: string
  body: string
  work_item_id: number | null
  link: string
  created_at: string
  read_at: string | null
}

export interface NotificationPage extends Page<Notification> {
  unread: number
}

type Q = { kind?: string; unit_id?: number; page?: number; page_size?: number; /** 督办 only: the pending extension requests. */ state?: 'extension_requested' }

export const inboxApi = {
  inbox: (q: Q = {}) => api.get<InboxPage>('/inbox', { query: q, quiet: [404] }),
  overdue: (q: Q = {}) => api.get<InboxPage>('/inbox/overdue', { query: q, quiet: [403, 404] }),
  notifications: (q: { unread?: 1; page?: number; page_size?: number } = {}) =>
    api.get<NotificationPage>('/notifications', { query: q, quiet: 'all' }),
  markRead: (id: number) => api.post<void>(`/notifications/${id}/read`, {}),
  item: (id: number) => api.get<WorkItemDetail>(`/work-items/${id}`, { quiet: [403, 404] }),
  act: (id: number, body: { action: WorkAction; note?: string; version: number; due_date?: string }) =>
    api.post<WorkItemDetail>(`/work-items/${id}/actions`, body, { quiet: 'all' }),
  readAll: () => api.post<{ marked: number; unread: number }>('/notifications/read-all', {}),
}
