// Labels and colours for child-registry enum codes (codes from docs/API.md; labels in i18n `child.*`).
import { t, i18n } from '@/platform/i18n'

type Group = 'sexes' | 'hukouNatures' | 'stages' | 'healths' | 'disabilities' | 'flows' | 'relations' | 'states' | 'rollStatuses' | 'assistances' | 'tri'

export function enumLabel(group: Group, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—'
  const key = `child.${group}.${code}`
  return i18n.global.te(key) ? t(key) : code
}

export const ENUMS: Record<Group, string[]> = {
  sexes: ['male', 'female', 'unknown'],
  hukouNatures: ['agricultural', 'non_agricultural', 'resident', 'unknown'],
  stages: ['kindergarten', 'primary', 'junior_high', 'senior_high', 'vocational', 'dropout', 'not_in_school', 'unknown'],
  healths: ['healthy', 'disabled', 'ill', 'unknown'],
  disabilities: ['none', 'visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'],
  flows: ['local', 'inflow', 'outflow', 'unknown'],
  relations: ['father', 'mother', 'grandfather', 'grandmother', 'maternal_grandfather', 'maternal_grandmother', 'sibling', 'other'],
  states: [
    'at_home', 'working_away', 'imprisoned', 'compulsory_rehab', 'severe_disability', 'serious_illness', 'missing', 'dead',
    'declared_missing', 'guardianship_revoked', 'deported',
  ],
  rollStatuses: ['not_on_roll', 'proposed', 'on_roll', 'exit_proposed', 'exited'],
  assistances: ['dibao', 'tekun', 'low_income', 'temporary', 'medical'],
  tri: ['unknown', 'no', 'yes'],
}

export function options(group: Group): { value: string; label: string }[] {
  return ENUMS[group].map((v) => ({ value: v, label: enumLabel(group, v) }))
}

/** Category tag colours (fixed per well-known code; others by kind). */
const CATEGORY_COLOURS: Record<string, string> = {
  orphan: '#c0392b',
  de_facto_unsupported: '#d35400',
  poor_family: '#b7950b',
  severe_disability: '#8e44ad',
  fallback_guardianship: '#a93226',
  other: '#7f8c8d',
  left_behind: '#1f6feb',
  migrant: '#16a085',
}
export function categoryColour(code: string, kind?: string): string {
  return CATEGORY_COLOURS[code] || (kind === 'monitored' ? '#2e86c1' : '#884ea0')
}

/** Roll status → Element Plus tag type. */
export function rollTagType(s: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  return ({ on_roll: 'success', proposed: 'warning', exit_proposed: 'warning', exited: 'info', not_on_roll: 'info' } as const)[s as 'on_roll'] || 'info'
}

/** Member state → colour used on the family map and state tags. */
export function stateColour(s: string): string {
  switch (s) {
    case 'at_home': return '#67c23a'
    case 'working_away': return '#409eff'
    case 'imprisoned': case 'compulsory_rehab': return '#e6a23c'
    case 'severe_disability': case 'serious_illness': return '#b37feb'
    case 'missing': case 'declared_missing': case 'deported': return '#f56c6c'
    case 'dead': return '#606266'
    case 'guardianship_revoked': return '#c45656'
    default: return '#909399'
  }
}

export function stateTagType(s: string): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  switch (s) {
    case 'at_home': return 'success'
    case 'working_away': return 'primary'
    case 'imprisoned': case 'compulsory_rehab': case 'severe_disability': case 'serious_illness': return 'warning'
    case 'missing': case 'declared_missing': case 'deported': case 'guardianship_revoked': return 'danger'
    default: return 'info'
  }
}

export function categoryName(code: string, byCode: Record<string, { name: string }>): string {
  // Category names are configuration data (zh-CN in the shipped config), shown as given.
  return byCode[code]?.name || code
}
