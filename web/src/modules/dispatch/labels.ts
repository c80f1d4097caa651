// Labels and tones for dispatch orders; the server sends status_name and action_name, these serve filters and forms.
import { i18n, t } from '@/platform/i18n'
import type { Tone } from '@/platform/components/StatusTag.vue'

export const FLOW_STATES = ['pending_accept', 'handling', 'extension_requested', 'return_requested', 'feedback', 'returned', 'closed'] as const
/** Actions whose note is required (docs/API.md, marked *). */
export const NOTE_REQUIRED = ['return', 'reject_return', 'request_extension', 'reject_extension', 'feedback', 'revisit', 'redo', 'close']
/** Receiver actions first, then the center's; the order buttons appear in. */
export const ACTION_ORDER = ['accept', 'feedback', 'request_extension', 'return', 'revisit', 'approve_return', 'reject_return', 'approve_extension', 'reject_extension', 'redo', 'close']

export function dspLabel(group: 'state' | 'action' | 'by', code: string | null | undefined, serverName?: string): string {
  if (!code) return '—'
  if (serverName) return serverName
  const key = `dsp.${group}.${code}`
  return i18n.global.te(key) ? t(key) : code
}

export function stateTone(s: string): Tone {
  return ({ pending_accept: 'warn', handling: 'primary', extension_requested: 'warn', return_requested: 'warn', returned: 'info', feedback: 'primary', closed: 'ok' } as Record<string, Tone>)[s] || 'info'
}

/** A rate 0..1 as a percentage, '—' without a denominator. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`
}
