// Cases (个案) and assessments types and calls, mirroring docs/API.md "Cases and assessments".
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'

export type CaseStatus = 'intake' | 'assessing' | 'planning' | 'intervening' | 'reviewing' | 'closed'
export interface Ref { id: number; name: string }
export interface UserRef { id: number; display_name: string }
export interface Grade { code: string; name: string; name_en?: string; level?: string; level_en?: string; action?: string; action_en?: string; color?: string }

export interface CaseEvent { id: number; at: number; user: { id: number | null; display_name: string }; action: string; from: string; to: string; note: string }

export interface Need { code: string; name: string; level: number; note: string }
export interface Assessment {
  id: number
  child_id: number
  case_id: number | null
  kind: 'risk' | 'needs' | 'guardianship'
  form: { code: string; version: number; name: string; name_en: string }
  status: 'draft' | 'completed'
  answers: Record<string, unknown>
  score: number
  grade: Grade | null
  needs: Need[]
  note: string
  assessor: UserRef
  completed_at: number | null
  created_at: number
  updated_at: number
  version: number
}

/** An account the case may be assigned to (GET /cases/{id}/workers). */
export interface WorkerOption { id: number; display_name: string; role: string; unit_name: string }

export interface CaseRecord {
  id: number
  child: Ref
  unit: Ref
  status: CaseStatus
  source: 'roll' | 'report' | 'decision'
  report_id: number | null
  reason: string
  worker: UserRef | null
  grade: Grade | null
  close_reason: string
  opened_at: number
  closed_at: number | null
  updated_at: number
  version: number
  events?: CaseEvent[]
  assessments?: Assessment[]
  actions?: string[]
}

export interface FormOption { value: string; label: string; label_en: string; score: number }
export interface FormQuestion { id: string; text: string; text_en: string; type: 'single' | 'multi' | 'number' | 'text' | 'bool'; required: boolean; options: FormOption[]; min?: number; max?: number; need?: string }
export interface FormSection { id: string; title: string; title_en: string; questions: FormQuestion[] }
export interface AssessmentForm { code: string; version: number; kind: string; name: string; name_en: string; region: string; sections: FormSection[]; grades: (Grade & { min_score: number })[]; need_categories: { code: string; name: string; name_en: string }[] }

export interface CompareRow { section: string; question_id: string; text: string; a: string; b: string; changed: boolean }

export const casesApi = {
  list: (q: Record<string, unknown>) => api.get<Page<CaseRecord>>('/cases', { query: q as any }),
  get: (id: number, quiet?: number[]) => api.get<CaseRecord>(`/cases/${id}`, { quiet }),
  open: (body: { child_id: number; source: string; reason?: string; report_id?: number | null; worker_user_id?: number | null }) => api.post<CaseRecord>('/cases', body),
  act: (id: number, action: string, version: number, note?: string) => api.post<CaseRecord>(`/cases/${id}/actions`, { action, version, note }),
  workers: (id: number) => api.get<{ items: WorkerOption[] }>(`/cases/${id}/workers`),
  assign: (id: number, worker_user_id: number, version: number) => api.post<CaseRecord>(`/cases/${id}/assign`, { worker_user_id, version }),
  forms: () => api.get<{ items: AssessmentForm[] }>('/assessment-forms'),
  form: (code: string, version?: number) => api.get<AssessmentForm>(`/assessment-forms/${code}`, { query: { version } }),
  ofChild: (childId: number) => api.get<{ items: Assessment[] }>(`/children/${childId}/assessments`),
  casesOfChild: (childId: number) => api.get<Page<CaseRecord>>('/cases', { query: { child_id: childId, page_size: 50 } }),
  assessment: (id: number, quiet?: number[]) => api.get<Assessment>(`/assessments/${id}`, { quiet }),
  draft: (body: { child_id: number; form: string; case_id?: number | null; answers?: Record<string, unknown>; note?: string }) => api.post<Assessment>('/assessments', body),
  save: (id: number, body: { answers: Record<string, unknown>; note?: string; version: number }) => request<Assessment>('PUT', `/assessments/${id}`, body, { quiet: [400] }),
  complete: (id: number, version: number) => request<Assessment>('POST', `/assessments/${id}/complete`, { version }, { quiet: [400] }),
  compare: (a: number, b: number) => api.get<{ a: Assessment; b: Assessment; rows: CompareRow[] }>('/assessments/compare', { query: { a, b } }),
}
