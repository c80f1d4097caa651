// Case statistics (个案统计) types and calls, mirroring docs/API.md "Case statistics". `to` is the last day included.
import { api } from '@/platform/client'

export interface VisitCounts { due: number; done: number; on_time: number; overdue_now: number }
export interface CaseStatsRow {
  key: string
  unit_id: number | null
  name: string
  open_now: number
  open_by_grade: Record<string, number>
  opened: number
  closed: number
  assessments_done: number
  assessments_due: number
  assessments_on_time: number
  assessments_on_time_rate: number | null
  assessments_open_now: number
  assessments_overdue_now: number
  plans_approved: number
  plans_in_force: number
  groups_active: number
  service_records: number
  group_sessions: number
  visits: VisitCounts
  visits_by_grade: Record<string, VisitCounts>
  conferences_held: number
  decisions_made: number
  decisions_done: number
  decisions_overdue_now: number
  guardianship?: { temporary_now: number; returned: number; long_term_now: number }
}
export interface Grade { code: string; name: string; color: string }
export interface CaseStats {
  from: string
  to: string
  unit: { name: string; level: string }
  grades: Grade[]
  has_guardianship: boolean
  rows: CaseStatsRow[]
  total: CaseStatsRow
}

export const caseStatsApi = {
  get: (q: { from: string; to: string }) => api.get<CaseStats>('/case-stats', { query: q }),
  /** For cards: no error toast when the numbers cannot be read. */
  quiet: (q: { from: string; to: string }) => api.get<CaseStats>('/case-stats', { query: q, quiet: 'all' }),
}
