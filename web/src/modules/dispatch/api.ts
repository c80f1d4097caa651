// Dispatch orders (派单) types and calls, mirroring docs/API.md "Dispatch orders". Times are ISO-8601 +08:00.
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'

export type OrderStatus = 'pending_accept' | 'handling' | 'return_requested' | 'returned' | 'feedback' | 'closed'
export type FlowState = OrderStatus | 'extension_requested'
export type OrderAction =
  | 'accept' | 'return' | 'request_extension' | 'feedback'
  | 'approve_return' | 'reject_return' | 'approve_extension' | 'reject_extension' | 'revisit' | 'redo' | 'close'

export interface OrderTarget { kind: 'agency' | 'unit'; agency_id: number | null; unit_id: number; name: string; role: string }
export interface OrderReport { id: number; status: string; urgency: string; category: string; channel: string; sensitive: boolean; summary: string; place: string; child_id: number | null; unit_path?: string }
export interface OrderAttachment { id: number; name: string; content_type: string; size: number; created_at: string }

export interface Order {
  id: number
  report_id: number
  role: 'lead' | 'co'
  lead_order_id: number | null
  target: OrderTarget
  instructions: string
  designated: boolean
  status: OrderStatus
  status_name: string
  flow_state: FlowState
  extension_pending: boolean
  extension_due_at: string | null
  round: number
  category: string
  urgency: string
  channel: string
  child_id: number | null
  dispatched_at: string
  accept_due_at: string | null
  accepted_at: string | null
  accepted_on_time: boolean | null
  handle_due_at: string | null
  feedback_at: string | null
  handled_on_time: boolean | null
  revisit_due_at: string | null
  revisited_at: string | null
  satisfied: boolean | null
  closed_at: string | null
  returned: boolean
  extensions: number
  redos: number
  due_at: string | null
  overdue: boolean
  access: 'center' | 'receiver' | 'lead_receiver' | 'reader' | 'none'
  actions: OrderAction[]
  version: number
  report?: OrderReport
  attachments?: OrderAttachment[]
}

export interface Step {
  id: number
  order_id: number
  target_name: string
  role: 'lead' | 'co'
  action: string
  action_name: string
  from: string
  to: string
  by: { id: number | null; name: string; unit: string }
  at: string
  note: string
  due_at: string | null
  met: boolean | null
  new_due_at: string | null
  reached: string | null
  satisfied: boolean | null
  attachment_ids: number[]
}

export interface Timeline { report: { id: number; status: string; urgency: string; category: string; channel: string }; orders: Order[]; steps: Step[] }

export interface Target { agency_id?: number; unit_id?: number; instructions: string; designated?: boolean }

export interface StatsRow {
  key: string
  name: string
  received: number
  accepted: number
  accepted_on_time: number
  accept_due: number
  on_time_accept_rate: number | null
  fed_back: number
  handled_on_time: number
  handle_due: number
  on_time_handle_rate: number | null
  returned: number
  return_rate: number | null
  extensions: number
  revisited: number
  satisfied: number
  satisfaction_rate: number | null
  overdue_now: number
}
export type StatsBy = 'department' | 'street' | 'month' | 'category' | 'channel'
export interface Stats { by: StatsBy; from: string; to: string; rows: StatsRow[]; total: StatsRow }

export interface ActionBody {
  action: OrderAction
  version: number
  note?: string
  due_date?: string
  reached?: string
  satisfied?: boolean
  verified?: boolean
  attachment_ids?: number[]
  outcome?: string
  reply_to_reporter?: string
}

export const dispatchApi = {
  dispatch: (reportId: number, b: { version: number; lead: Target; co: Target[] }) =>
    api.post<{ items: Order[] }>(`/reports/${reportId}/dispatch`, b, { quiet: [400, 409] }),
  list: (q: Record<string, string | number | boolean | undefined>) => api.get<Page<Order>>('/dispatch-orders', { query: q }),
  get: (id: number, quiet?: number[]) => api.get<Order>(`/dispatch-orders/${id}`, { quiet }),
  act: (id: number, b: ActionBody) => api.post<Order>(`/dispatch-orders/${id}/actions`, b, { quiet: [400, 409] }),
  timeline: (reportId: number) => api.get<Timeline>(`/reports/${reportId}/timeline`, { quiet: [403, 404] }),
  ofChild: (childId: number) => api.get<{ items: Order[] }>(`/children/${childId}/dispatch-orders`, { quiet: [403, 404] }),
  attach: (orderId: number, file: File) =>
    request<OrderAttachment>('POST', '/dispatch-attachments', undefined, {
      raw: file, contentType: file.type || 'application/octet-stream', query: { order_id: orderId, name: file.name }, quiet: [400, 413],
    }),
  attachmentUrl: (orderId: number, id: number) => `/api/v1/dispatch-attachments/${id}?order_id=${orderId}`,
  stats: (q: { from: string; to: string; by: StatsBy }) => api.get<Stats>('/dispatch/stats', { query: q }),
  /** The same without an error message (the 工作台 card hides itself instead). */
  statsQuiet: (q: { from: string; to: string; by: StatsBy }) => api.get<Stats>('/dispatch/stats', { query: q, quiet: 'all' }),
}
