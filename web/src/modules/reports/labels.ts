// Labels for report codes (statuses, channels, urgencies, categories, the nine situations of 意见 Art 4). The server
// sends names with most rows (status_name, category_name ...); these are for forms and filters, in i18n `rep.*`,
// with the codes of config/reports/categories.json.
import { i18n, t } from '@/platform/i18n'
import type { Tone } from '@/platform/components/StatusTag.vue'
import { configuredName, reportOptions } from './options'

export const STATUSES = ['received', 'triaged', 'dispatched', 'feedback', 'closed'] as const
export const CHANNELS = ['mandatory', 'hotline', 'field', 'public', 'screening'] as const
export const URGENCIES = ['immediate', '24h', 'routine'] as const
export const CATEGORIES = ['abuse', 'sexual_assault', 'guardianship', 'wandering', 'dropout', 'mental_crisis', 'hardship', 'other'] as const
export const SENSITIVE_CATEGORIES = ['abuse', 'sexual_assault']
export const SITUATIONS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'] as const
/** Situations that call for an immediate alert of the duty officer (config `urgent`). */
export const URGENT_SITUATIONS = ['s1', 's2', 's3', 's4', 's5', 's7', 's9']

// What the server is configured with (options.ts, loadReportOptions); the built-in lists above until it is loaded.
/** The category codes in the configured order. */
export function categoryCodes(): string[] {
  return reportOptions.categories.length ? reportOptions.categories.map((c) => c.code) : [...CATEGORIES]
}
/** The situation codes in the configured order. */
export function situationCodes(): string[] {
  return reportOptions.situations.length ? reportOptions.situations.map((s) => s.code) : [...SITUATIONS]
}
/** True when situation `code` alerts the duty officer at once (config `urgent`). */
export function isUrgentSituation(code: string): boolean {
  if (reportOptions.situations.length) return !!reportOptions.situations.find((s) => s.code === code)?.urgent
  return URGENT_SITUATIONS.includes(code)
}

type Group = 'status' | 'channel' | 'urgency' | 'category' | 'situation' | 'publicStatus'

export function repLabel(group: Group, code: string | null | undefined, serverName?: string | null): string {
  if (!code) return '—'
  if (group === 'category' || group === 'situation') {
    const configured = configuredName(group, code)
    if (configured) return configured
  }
  const key = `rep.${group}.${code}`
  if (i18n.global.te(key)) return t(key)
  return serverName || code
}

export function options(group: Group, codes: readonly string[]): { value: string; label: string }[] {
  return codes.map((c) => ({ value: c, label: repLabel(group, c) }))
}

export function statusTone(s: string): Tone {
  return ({ received: 'warn', triaged: 'primary', dispatched: 'primary', feedback: 'warn', closed: 'ok' } as Record<string, Tone>)[s] || 'info'
}
export function urgencyTone(u: string): Tone {
  return ({ immediate: 'bad', '24h': 'warn', routine: 'info' } as Record<string, Tone>)[u] || 'info'
}

/** "YYYY-MM-DD HH:mm" for a date-time picker's value of now, in Asia/Shanghai. */
export function nowMinute(): string {
  const d = new Date(Date.now() + 8 * 3600 * 1000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}
