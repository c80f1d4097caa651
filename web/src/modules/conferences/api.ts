// Case conferences (个案会商) types and calls, mirroring docs/API.md "Case conferences". Times are ISO-8601 +08:00.
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'
import { early } from '@/platform/utils/early'

export type ConferenceStatus = 'planned' | 'held' | 'closed' | 'cancelled'
export type ConferenceAction = 'edit' | 'record' | 'amend' | 'close' | 'cancel' | 'attach'
export interface Reason { code: string; name: string; note_required: boolean }
export interface Participant { id: number; kind: 'agency' | 'unit' | 'person'; agency_id: number | null; unit_id: number | null; name: string; note: string; attended: boolean | null }
export interface Decision {
  id: number
  conference_id: number
  seq: number
  content: string
  owner: { kind: 'agency' | 'unit'; agency_id: number | null; unit_id: number; name: string }
  due_date: string
  status: 'open' | 'done'
  overdue: boolean
  result_note: string
  done_at: string | null
  version: number
  can_complete: boolean
  conference: { title: string; child_name: string; scheduled_at: string; status: ConferenceStatus }
}
export interface Attachment { id: number; name: string; content_type: string; size: number; created_at: string }
export interface Conference {
  id: number
  child_id: number
  case_id: number | null
  child_name: string
  reason: string
  reason_name: string
  reason_note: string
  title: string
  convener_unit_id: number
  convener_name: string
  scheduled_at: string
  place: string
  online: boolean
  agenda: string
  status: ConferenceStatus
  status_name: string
  discussion: string
  held_at: string | null
  closed_at: string | null
  version: number
  created_at: string
  participants?: Participant[]
  decisions?: Decision[]
  followups?: Decision[]
  attachments?: Attachment[]
  actions?: ConferenceAction[]
  can_manage?: boolean
}
export interface ParticipantInput { kind: 'agency' | 'unit' | 'person'; agency_id?: number | null; unit_id?: number | null; name?: string; note?: string }
export interface DecisionInput { content: string; agency_id?: number | null; unit_id?: number | null; due_date: string }
export interface ConveneBody {
  child_id?: number
  case_id?: number | null
  reason: string
  reason_note: string
  title: string
  scheduled_at: string
  place: string
  online: boolean
  agenda: string
  participants: ParticipantInput[]
  version?: number
}
export interface RecordBody { version: number; discussion: string; attendance: { participant_id: number; attended: boolean | null }[]; decisions: DecisionInput[] }

export interface CaseConferences { items: Conference[]; child_others: number }

// The case page's 个案会商 request, started with the case's own (preloadCase) and taken once by the section.
const earlyOfCase = early((caseId: number) => api.get<CaseConferences>(`/cases/${caseId}/conferences`, { quiet: [403, 404] }))

export const conferencesApi = {
  config: () => api.get<{ reasons: Reason[]; agencies: { id: number; name: string; kind: string }[] }>('/conferences/config'),
  list: (q: Record<string, string | number | undefined>) => api.get<Page<Conference>>('/conferences', { query: q }),
  get: (id: number) => api.get<Conference>(`/conferences/${id}`, { quiet: [404] }),
  convene: (b: ConveneBody) => api.post<Conference>('/conferences', b, { quiet: [400, 409] }),
  edit: (id: number, b: ConveneBody) => request<Conference>('PUT', `/conferences/${id}`, b, { quiet: [400, 409] }),
  record: (id: number, b: RecordBody, amend = false) => api.post<Conference>(`/conferences/${id}/${amend ? 'amend' : 'record'}`, b, { quiet: [400, 409] }),
  cancel: (id: number, version: number, note: string) => api.post<Conference>(`/conferences/${id}/cancel`, { version, note }, { quiet: [400, 409] }),
  close: (id: number, version: number) => api.post<Conference>(`/conferences/${id}/close`, { version }, { quiet: [409] }),
  /** Starts GET /cases/{id}/conferences now (the case page calls it with GET /cases/{id}); ofCase takes the answer once. */
  preloadCase: (caseId: number) => earlyOfCase.start(caseId),
  /** The case's conferences and the count of its child's others (GET /cases/{id}/conferences). */
  ofCase: (caseId: number) => earlyOfCase.take(caseId),
  ofChild: (childId: number) => api.get<{ items: Conference[] }>(`/children/${childId}/conferences`, { quiet: [403, 404] }),
  myDecisions: (status?: string) => api.get<{ items: Decision[] }>('/conference-decisions', { query: { status } }),
  decision: (id: number) => api.get<Decision>(`/conference-decisions/${id}`, { quiet: [404] }),
  complete: (id: number, version: number, note: string) => api.post<Decision>(`/conference-decisions/${id}/complete`, { version, note }, { quiet: [400, 409] }),
  attach: (id: number, file: File) =>
    request<Attachment>('POST', '/conference-attachments', undefined, {
      raw: file, contentType: file.type || 'application/octet-stream', query: { conference_id: id, name: file.name }, quiet: [400, 409, 413, 415],
    }),
  attachmentUrl: (id: number, aid: number) => `/api/v1/conference-attachments/${aid}?conference_id=${id}`,
  docxUrl: (id: number) => `/api/v1/conferences/${id}/minutes.docx`,
}

export const statusTone = (s: string) => (({ planned: 'primary', held: 'warn', closed: 'ok', cancelled: 'info' } as const)[s as ConferenceStatus] || 'info')
