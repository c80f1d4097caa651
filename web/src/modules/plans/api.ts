// Plans (一人一策), service records and group services: types and calls mirroring docs/API.md "Plans and services".
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'
import { early } from '@/platform/utils/early'

export interface CodeName { code: string; name: string; name_en: string }
export interface PlanConfig { approval_required: boolean; service_types: CodeName[]; frequencies: CodeName[]; team_roles: CodeName[]; group_types: CodeName[] }

export interface Goal { id?: number; need_code: string; need_name: string; goal: string; measure: string }
export interface PlanServiceLine { id?: number; type: string; type_name?: string; title: string; frequency: string; frequency_name?: string; provider: string; group_id?: number | null }
export interface TeamMember { id?: number; role: string; role_name?: string; name: string; org: string; phone: string; user_id?: number | null }
export interface Task { id?: number; title: string; owner_unit_id: number | null; owner_role: string; owner_user_id?: number | null; due_date: string; done?: boolean; done_at?: string | null }

export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'returned' | 'superseded'
export type PlanAction = 'edit' | 'submit' | 'approve' | 'return' | 'revise' | 'complete_task'

export interface PlanSummary {
  id: number; case_id: number; child_id: number; number: number; status: PlanStatus; status_name: string
  title: string; summary: string; period_from: string; period_to: string; grade: string; approval_required: boolean
  submitted_at: string | null; reviewed_at: string | null; review_note: string; created_at: string; updated_at: string; version: number
}
export interface Plan extends PlanSummary {
  goals: Goal[]; services: PlanServiceLine[]; team: TeamMember[]; tasks: Task[]
  actions: PlanAction[]; overdue_tasks: number[]; phones_revealed: boolean
}
export interface ServiceRecord {
  id: number; case_id: number; child_id: number; plan_id: number | null; served_on: string; service_type: string; service_type_name: string
  delivered_by: string; duration_min: number; content: string; outcome: string; created_at: string; version: number
  attachments?: Attachment[]
}
export interface Attachment { id: number; record_id: number; name: string; content_type: string; size: number; created_at: string }
export interface Group {
  id: number; unit_id: number; name: string; group_type: string; group_type_name: string; goal: string; facilitator: string
  status: 'open' | 'closed'; members: number; sessions: number; created_at: string; version: number
  member_list?: { case_id: number; child_id: number; joined_at: number }[]
  session_list?: Session[]
}
export interface Session { id: number; group_id: number; held_on: string; topic: string; content: string; duration_min: number; facilitator: string; outcome: string; attendees: number[]; created_at: string }
export interface Need { code: string; name: string; level: number; note: string }
export interface CasePlans {
  case: { id: number; child_id: number; status: string; grade: string; unit_id: number }
  needs: Need[]; current: Plan | null; versions: PlanSummary[]; records: ServiceRecord[]; groups: Group[]
  can_write: boolean; can_record: boolean
}
export interface PlanBody { title?: string; summary?: string; period_from?: string; period_to?: string; goals?: Goal[]; services?: PlanServiceLine[]; team?: TeamMember[]; tasks?: Task[]; version?: number }
export interface ServiceBody { served_on: string; service_type: string; delivered_by: string; duration_min: number; content: string; outcome?: string; plan_id?: number | null }
export interface DocBlock { kind: 'heading' | 'paragraph' | 'table'; text?: string; rows?: string[][] }

let configCache: Promise<PlanConfig> | null = null

function fetchCasePlans(caseId: number, reveal: boolean) {
  return api.get<CasePlans>(`/cases/${caseId}/plans`, { query: reveal ? { reveal: 1 } : undefined, quiet: [403, 404] })
}
// The case page's plan request started early (preloadCase), kept for the plan section's first load (platform/utils/early).
const earlyPlans = early((caseId: number) => fetchCasePlans(caseId, false))

export const plansApi = {
  config: () => (configCache ??= api.get<PlanConfig>('/plan-config')),
  /** Starts GET /cases/{id}/plans now (the case page calls it with GET /cases/{id}); ofCase takes the answer once. */
  preloadCase: (caseId: number) => earlyPlans.start(caseId),
  ofCase: (caseId: number, reveal = false) => (reveal ? fetchCasePlans(caseId, true) : earlyPlans.take(caseId)),
  create: (caseId: number, b: PlanBody) => api.post<Plan>(`/cases/${caseId}/plans`, b, { quiet: [400, 409] }),
  get: (id: number, reveal = false, quiet?: number[]) => api.get<Plan>(`/plans/${id}`, { query: reveal ? { reveal: 1 } : undefined, quiet }),
  update: (id: number, b: PlanBody) => request<Plan>('PUT', `/plans/${id}`, b, { quiet: [400, 409] }),
  act: (id: number, action: 'submit' | 'approve' | 'return', version: number, note = '') =>
    api.post<Plan>(`/plans/${id}/actions`, { action, version, note }, { quiet: [400, 409] }),
  completeTask: (id: number, taskId: number) => api.post<Plan>(`/plans/${id}/tasks/${taskId}/done`, {}),
  document: (id: number, quiet?: number[]) => api.get<{ title: string; blocks: DocBlock[] }>(`/plans/${id}/document`, { quiet }),
  docxUrl: (id: number) => `/api/v1/plans/${id}/docx`,
  approvals: (q: { page: number; page_size: number }) => api.get<Page<PlanSummary>>('/plan-approvals', { query: q }),
  records: (caseId: number) => api.get<{ items: ServiceRecord[] }>(`/cases/${caseId}/services`),
  addRecord: (caseId: number, b: ServiceBody) => api.post<ServiceRecord>(`/cases/${caseId}/services`, b, { quiet: [400] }),
  record: (id: number, quiet?: number[]) => api.get<ServiceRecord>(`/service-records/${id}`, { quiet }),
  attach: (recordId: number, file: File) =>
    request<Attachment>('POST', '/service-attachments', undefined, {
      raw: file, contentType: file.type || 'application/octet-stream', query: { record_id: recordId, name: file.name }, quiet: [400, 413],
    }),
  attachmentUrl: (recordId: number, id: number) => `/api/v1/service-attachments/${id}?record_id=${recordId}`,
  groups: (q: { page: number; page_size: number }) => api.get<Page<Group>>('/service-groups', { query: q }),
  group: (id: number, quiet?: number[]) => api.get<Group>(`/service-groups/${id}`, { quiet }),
  createGroup: (b: { unit_id?: number; name: string; group_type: string; goal: string; facilitator: string }) =>
    api.post<Group>('/service-groups', b, { quiet: [400] }),
  addMember: (id: number, caseId: number) => api.post<void>(`/service-groups/${id}/members`, { case_id: caseId }, { quiet: [400, 409] }),
  removeMember: (id: number, caseId: number) => api.del<void>(`/service-groups/${id}/members/${caseId}`),
  addSession: (id: number, b: { held_on: string; topic: string; content: string; duration_min: number; facilitator: string; outcome: string; attendees: number[] }) =>
    api.post<Session>(`/service-groups/${id}/sessions`, b, { quiet: [400] }),
  setGroupStatus: (id: number, status: 'open' | 'closed', version: number) => api.post<Group>(`/service-groups/${id}/status`, { status, version }, { quiet: [409] }),
}

export const planTone = (s: string) =>
  (({ draft: 'info', submitted: 'warn', approved: 'ok', returned: 'bad', superseded: 'info' } as const)[s as PlanStatus] || 'info')
