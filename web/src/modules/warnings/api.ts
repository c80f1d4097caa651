// Early warnings (预警) types and calls, mirroring docs/API.md "Early warnings". Times are ISO-8601 +08:00.
import { api } from '@/platform/client'
import type { Page } from '@/platform/types'

export type Severity = 'high' | 'medium' | 'low'
export type WarningStatus = 'open' | 'handled' | 'false_alarm' | 'cleared'

export interface Rule {
  code: string
  name: string
  name_en: string
  kind: string
  severity: Severity
  owner: { level: string; role: string }
  auto_close: boolean
  reason: string
  params: Record<string, unknown>
}

export interface Warning {
  id: number
  rule: string
  rule_name: string
  rule_name_en: string
  severity: Severity
  child_id: number
  child_name: string
  street_id: number
  community_id: number
  status: WarningStatus
  open: boolean
  reason: string
  raised_at: string
  raised_by: { id: number | null; name: string }
  closed_at: string | null
  closed_by: { id: number | null; name: string }
  close_note: string
  version: number
}

export interface RuleCount { rule: string; rule_name: string; rule_name_en: string; severity: Severity; open: number }

export const warningsApi = {
  rules: () => api.get<{ version: number; rules: Rule[] }>('/warnings/rules', { quiet: [403] }),
  counts: () => api.get<{ open: number; by_rule: RuleCount[] }>('/warnings/counts', { quiet: 'all' }),
  list: (q: Record<string, string | number | undefined>) => api.get<Page<Warning>>('/warnings', { query: q, quiet: [400, 403] }),
  get: (id: number) => api.get<Warning>(`/warnings/${id}`, { quiet: [404] }),
  handle: (id: number, b: { outcome: 'handled' | 'false_alarm'; note: string; version: number }) =>
    api.post<Warning>(`/warnings/${id}/handle`, b, { quiet: [400, 404, 409] }),
  raise: (childId: number, b: { rule?: string; reason: string }) =>
    api.post<Warning & { created: boolean }>(`/children/${childId}/warnings`, b, { quiet: [400, 404] }),
}

/** Element Plus tag type and border colour per severity. */
export const SEVERITY_COLOR: Record<Severity, string> = { high: '#d93026', medium: '#e6a23c', low: '#409eff' }
