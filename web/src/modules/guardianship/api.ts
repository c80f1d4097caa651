// 监护干预 (guardianship interventions) types and calls, mirroring docs/API.md "Guardianship interventions".
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'

export type GKind = 'temporary' | 'long_term'
export type GStatus = 'proposed' | 'approved' | 'placed' | 'active' | 'returned' | 'adopted' | 'ended' | 'rejected'
export interface CodeName { code: string; name: string; name_en: string }
export interface GEvent { id: number; at: number; action: string; from: string; to: string; note: string; user: string }
export interface GCheck { id: number; checked_at: number; checker: string; child_state: CodeName; notes: string }
export interface Placement { kind: CodeName; name: string; contact: string; phone_masked: string; address: string; placed_at: number; limit_at: number }
export interface Guardianship {
  id: number
  child: { id: number; name: string }
  unit: { id: number; name: string }
  kind: GKind
  status: GStatus
  grounds: CodeName[]
  reason: string
  proposed_at: number
  decided_at: number | null
  decision_note: string
  placement: Placement | null
  return_assessment_id: number | null
  returned_at: number | null
  converted_at: number | null
  ended_at: number | null
  end_kind: string
  end_note: string
  version: number
  actions: string[]
  events?: GEvent[]
  checks?: GCheck[]
  return_assessment?: { id: number; status: string; grade: string; completed_at: number | null; passes: boolean; superseded_by: number | null } | null
}
export interface GConfig {
  approval_required: boolean
  limit_days: number
  check_interval_days: number
  return_assessment: { kind: string; pass_grades: string[] }
  grounds: { temporary: CodeName[]; long_term: CodeName[] }
  placement_kinds: CodeName[]
  child_states: CodeName[]
}
export interface ChildAssessment { id: number; kind: string; status: string; grade: { code: string; name: string; name_en?: string } | null; completed_at: number | null; form: { name: string } }

const q = [400, 409]
export const guardApi = {
  config: () => api.get<GConfig>('/guardianship/config'),
  list: (query: Record<string, unknown>) => api.get<Page<Guardianship>>('/guardianship', { query: query as any }),
  get: (id: number) => api.get<Guardianship>(`/guardianship/${id}`),
  propose: (body: { child_id: number; kind: GKind; grounds: string[]; reason: string }) => api.post<Guardianship>('/guardianship', body),
  step: (id: number, verb: string, body: Record<string, unknown>) => request<Guardianship>('POST', `/guardianship/${id}/${verb}`, body, { quiet: q }),
  // The cases module's assessments of the child (its API; this module never imports the cases module).
  assessments: (childId: number) => api.get<{ items: ChildAssessment[] }>(`/children/${childId}/assessments`),
  newAssessment: (childId: number, form: string) => api.post<{ id: number }>('/assessments', { child_id: childId, form, answers: {} }),
}
