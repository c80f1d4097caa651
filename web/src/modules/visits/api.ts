// Visits (走访) types and calls, mirroring docs/API.md "Visits". Dates are YYYY-MM-DD, times ISO-8601 +08:00.
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'

export interface Grade { code: string; name: string; name_en: string; color: string; days: number }
export interface VisitConfig { grades: Grade[]; categories: { code: string; days: number }[]; default_days: number; first_visit_days: number; due_soon_days: number }

export interface Schedule {
  child_id: number
  child_name: string
  sex: string
  birth_date: string | null
  community_id: number
  street_id: number
  grade: string
  graded_on: string | null
  categories: string[]
  rule: string
  interval_days: number
  last_visit_on: string | null
  next_due_on: string
  overdue_days: number
  days_until_due: number
  overdue: boolean
  version: number
}

export interface VisitPhoto { id: number; visit_id: number; content_type: string; size: number; url: string; created_at: string }

export type Level = 'good' | 'fair' | 'poor'
export interface VisitBody {
  visited_on: string
  seen: string[]
  seen_others: string
  place: string
  place_note: string
  child_state: Level | ''
  child_note: string
  home_state: Level | ''
  home_note: string
  guardian_care: Level | ''
  guardian_note: string
  needs: string[]
  needs_note: string
  follow_ups: string
}
export interface Visit extends Omit<VisitBody, 'child_state' | 'home_state' | 'guardian_care'> {
  id: number
  child_id: number
  grade: string
  due_on: string | null
  on_time: boolean
  child_state: Level
  home_state: Level
  guardian_care: Level
  photo_count: number
  photos: VisitPhoto[]
  visitor: { id: number | null; name: string }
  created_at: string
  version: number
}

export interface StatsCell { grade: string; month: string; done: number; on_time: number; due: number }

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
export const PHOTO_MAX_COUNT = 9

export const visitsApi = {
  config: () => api.get<VisitConfig>('/visits/config'),
  due: (q: Record<string, string | number | undefined>) => api.get<Page<Schedule> & { total_capped: boolean }>('/visits/due', { query: q }),
  stats: (q: { from?: string; to?: string }) => api.get<{ from: string; to: string; cells: StatsCell[] }>('/visits/stats', { query: q }),
  schedule: (childId: number) => api.get<{ child_id: number; child_name: string; schedule: Schedule | null }>(`/children/${childId}/visit-schedule`, { quiet: [403, 404] }),
  history: (childId: number, page = 1, pageSize = 20) =>
    api.get<Page<Visit>>(`/children/${childId}/visits`, { query: { page, page_size: pageSize }, quiet: [403, 404] }),
  record: (childId: number, b: VisitBody) => api.post<Visit>(`/children/${childId}/visits`, b, { quiet: [400, 404, 409] }),
  get: (id: number) => api.get<Visit>(`/visits/${id}`, { quiet: [404] }),
  addPhoto: (visitId: number, file: File) =>
    request<VisitPhoto>('POST', '/visit-photos', undefined, {
      raw: file, contentType: file.type || 'application/octet-stream', query: { visit_id: visitId }, quiet: [400, 409, 413],
    }),
}
