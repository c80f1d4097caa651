// Screening display helpers shared by the screening views.
import { i18n } from '@/platform/i18n'
import type { BatchStats } from '@/modules/screening/api'

/** A rule's label: the app's translation for the known rules, else the server's name (rule_name_en in English). */
export function ruleName(id: string, fallback?: string, fallbackEn?: string): string {
  const key = `scr.rules.${id}`
  if (i18n.global.te(key)) return i18n.global.t(key)
  return (i18n.global.locale.value === 'en' && fallbackEn) || fallback || id
}

export function sumStats(list: (BatchStats | null)[]): BatchStats {
  const out: BatchStats = {
    records: 0, matched: 0, review: 0, unmatched: 0, findings: 0, findings_by_rule: {}, pending: 0, confirmed: 0,
    rejected: 0, not_found: 0, added: 0, exited: 0, overdue: 0,
  }
  for (const s of list) {
    if (!s) continue
    for (const k of ['records', 'matched', 'review', 'unmatched', 'findings', 'pending', 'confirmed', 'rejected', 'not_found', 'added', 'exited'] as const) {
      out[k] += s[k] || 0
    }
    out.overdue = (out.overdue || 0) + (s.overdue || 0)
    for (const [r, n] of Object.entries(s.findings_by_rule || {})) out.findings_by_rule[r] = (out.findings_by_rule[r] || 0) + n
  }
  return out
}

export function findingStatusType(s: string): 'warning' | 'success' | 'info' | 'danger' {
  return ({ open: 'warning', confirmed: 'success', rejected: 'info', not_found: 'danger' } as const)[s as 'open'] || 'info'
}

/** Query for /children/new from a screening outcome's suggested_child (read back by prefillFromQuery). */
export function childCreateQuery(s: Record<string, unknown>): Record<string, string> {
  const q: Record<string, string> = {}
  for (const k of PREFILL_KEYS) {
    const v = s[k]
    if (v !== null && v !== undefined && v !== '') q[k] = String(v)
  }
  return q
}

const PREFILL_KEYS = ['name', 'sex', 'birth_date', 'community_id', 'hukou_address', 'residence_address', 'school_name', 'flow_status'] as const

/** Child form fields prefilled from the query that childCreateQuery built. */
export function prefillFromQuery(q: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const k of PREFILL_KEYS) {
    const v = q[k]
    if (typeof v !== 'string' || !v) continue
    out[k] = k === 'community_id' ? Number(v) : v
  }
  return out
}
