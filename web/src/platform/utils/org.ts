import type { OrgLevel } from '@/platform/types'

export const LEVELS: OrgLevel[] = ['city', 'district', 'street', 'community', 'grid']

export function childLevel(l: OrgLevel): OrgLevel | null {
  const i = LEVELS.indexOf(l)
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null
}

export function levelTagType(l: OrgLevel): 'danger' | 'warning' | 'primary' | 'success' | 'info' {
  return ({ city: 'danger', district: 'warning', street: 'primary', community: 'success', grid: 'info' } as const)[l] || 'info'
}
