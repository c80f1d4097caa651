// People's words for the before/after of a change (变更记录, 审计日志): field labels instead of keys, enum labels
// instead of codes, names instead of ids (from the `names` the API sends: kind -> id -> name), 是/否 for flags.
import { t, i18n } from '@/platform/i18n'
import { enumLabel, ENUMS } from './labels'
import { formatTime } from '@/platform/utils/format'

type Names = Record<string, Record<string, string>>
type Cats = Record<string, { name: string }>

const CHILD_FIELDS: Record<string, string> = {
  name: 'child.name', former_names: 'child.formerNames', sex: 'child.sex', ethnicity: 'child.ethnicity',
  birth_date: 'child.birthDate', id_number: 'child.idNumber', no_id_reason: 'child.noIdReason',
  hukou_registered: 'child.hukouRegistered', hukou_region_code: 'child.hukouPlace', hukou_nature: 'child.hukouNature',
  hukou_address: 'child.hukouAddress', community_id: 'child.residenceUnit', grid_id: 'child.gridCode',
  residence_address: 'child.residenceAddress', resident_since: 'child.residentSince', school_name: 'child.schoolName',
  school_stage: 'child.schoolStage', boarding: 'child.boarding', health: 'child.health', disability_type: 'child.disabilityType',
  disability_grade: 'child.disabilityGrade', illness: 'child.illness', flow_status: 'child.flowStatus', assistance: 'child.assistance',
  parents_not_findable: 'child.parentsNotFindable', director_user_id: 'child.director', notes: 'child.notes',
  categories: 'child.categories', roll_status: 'child.rollStatus', roll_categories: 'child.roll.categories',
  'guardian.name': 'child.guardianName', 'guardian.relation': 'child.guardianRelation', 'guardian.relation_note': 'child.relationNote',
  'guardian.member_id': 'child.guardian', 'guardian.phone': 'child.guardianPhone', 'guardian.id_number': 'child.idNumber',
  'guardian.agreement_date': 'child.agreementDate', kind: 'child.roll.kind', category: 'child.roll.category',
  request_status: 'child.roll.status', field: 'change.field',
}
const MEMBER_FIELDS: Record<string, string> = {
  relation: 'child.relation', name: 'child.name', id_number: 'child.idNumber', phone: 'child.phone', state: 'child.state',
  state_since: 'child.stateSince', restriction_months: 'child.restrictionMonths', disability: 'child.disabilityType',
  illness: 'child.illness', work_city: 'child.workCity', works_outside: 'child.worksOutside', lives_with_child: 'child.livesWithChild',
}
const ENUM_OF: Record<string, Parameters<typeof enumLabel>[0]> = {
  sex: 'sexes', hukou_nature: 'hukouNatures', school_stage: 'stages', health: 'healths', disability_type: 'disabilities',
  flow_status: 'flows', 'guardian.relation': 'relations', roll_status: 'rollStatuses', relation: 'relations', state: 'states',
  works_outside: 'tri',
}
const GENERIC: Record<string, string> = {
  display_name: 'change.displayName', username: 'user.username', role: 'user.role', phone: 'child.phone', org_unit_id: 'change.orgUnit',
  code: 'change.code', level: 'change.level', parent_id: 'change.parent', retired: 'common.retired', disabled: 'change.disabled',
  reason: 'change.reason', request_id: 'change.requestId', rule_outcome: 'child.roll.ruleVerdict',
  verification_task_id: 'change.verificationTask', phone_masked: 'user.phone', must_change_password: 'user.mustChange',
  locked_until: 'change.lockedUntil', agency_id: 'agency.title', contact: 'agency.contact', dept_type: 'agency.deptType',
}
// Bookkeeping that means nothing to a person (row ids, versions, id paths).
const HIDDEN = new Set(['id', 'version', 'path'])

function tr(key: string): string | null {
  return i18n.global.te(key) ? t(key) : null
}

/** `family.12.state` → { member: '12', field: 'state' } */
function memberKey(k: string): { member: string; field: string } | null {
  const m = /^family\.(\d+)\.(.+)$/.exec(k)
  return m ? { member: m[1], field: m[2] } : null
}

/** The label of a changed field; `memberNames` names family rows by id (from the same change). */
export function fieldLabel(key: string, memberNames: Record<string, string> = {}): string {
  const m = memberKey(key)
  if (m) {
    const who = memberNames[m.member] || t('child.family')
    return `${who} · ${tr(MEMBER_FIELDS[m.field] || '') || m.field}`
  }
  return tr(CHILD_FIELDS[key] || '') || tr(GENERIC[key] || '') || key
}

function categoryList(v: string, cats: Cats): string {
  const codes = v.split(',').filter(Boolean)
  return codes.length ? codes.map((c) => cats[c]?.name || c).join('、') : '—'
}

/** The shown value of a changed field. */
export function valueLabel(key: string, raw: unknown, names: Names = {}, cats: Cats = {}): string {
  if (raw === null || raw === undefined || raw === '') return '—'
  const v = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw)
  const field = memberKey(key)?.field || key
  if (v === 'true') return t('common.yes')
  if (v === 'false') return t('common.no')
  if (field === 'community_id' || field === 'grid_id' || field === 'org_unit_id' || field === 'parent_id') return names.org_unit?.[v] || v
  if (field === 'director_user_id') return names.user?.[v] || v
  if (field === 'categories' || field === 'roll_categories' || field === 'category') return categoryList(v, cats)
  if (field === 'assistance') {
    const bits = Number(v)
    const on = ENUMS.assistances.filter((_, i) => bits & (1 << i))
    return on.length ? on.map((a) => enumLabel('assistances', a)).join('、') : t('common.none')
  }
  if (field === 'disability') {
    const [type, grade] = v.split('/')
    if (!type || type === 'none') return t('common.none')
    return `${enumLabel('disabilities', type)}${grade && grade !== '0' ? ` ${grade} 级` : ''}`
  }
  if (field === 'disability_grade') return v === '0' ? '—' : `${v} 级`
  if (field === 'kind') return tr(`child.roll.kinds.${v}`) || v
  if (field === 'rule_outcome') return tr(`child.outcomes.${v}`) || v
  if (field === 'role') return names.role?.[v] || v
  if (field === 'level') return tr(`level.${v}`) || v
  if (field === 'locked_until') return formatTime(Number(v))
  if (field === 'request_status') return tr(`child.roll.statuses.${v}`) || v
  const group = ENUM_OF[key] || ENUM_OF[field]
  if (group) return enumLabel(group, v)
  return v
}

export interface ChangeRow { key: string; field: string; before: string; after: string; created: boolean }

const CHILD_ORDER = Object.keys(CHILD_FIELDS)
const MEMBER_ORDER = Object.keys(MEMBER_FIELDS)
/** Sort key: the child's own fields in form order, then guardian, then each family member's fields together. */
function rank(k: string): string {
  const m = memberKey(k)
  if (m) return `2:${m.member.padStart(12, '0')}:${String(MEMBER_ORDER.indexOf(m.field) + 100)}`
  const i = CHILD_ORDER.indexOf(k)
  return i >= 0 ? `1:${String(i + 100)}` : `3:${k}`
}

/** The changed fields of an entry, labelled and valued for people, in a stable order. */
export function changeRows(before: unknown, after: unknown, names: Names = {}, cats: Cats = {}): ChangeRow[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>
  const keys = Array.from(new Set([...Object.keys(b), ...Object.keys(a)])).filter((k) => !HIDDEN.has(k))
  // Family rows are named by their name in this change (before or after).
  const memberNames: Record<string, string> = {}
  for (const k of keys) {
    const m = memberKey(k)
    if (m && m.field === 'name') memberNames[m.member] = String(a[k] || b[k] || '')
  }
  for (const k of keys) {
    const m = memberKey(k)
    if (m && m.field === 'relation' && !memberNames[m.member]) memberNames[m.member] = enumLabel('relations', String(a[k] || b[k] || ''))
  }
  // A new record (nothing before) lists its values; rows empty on both sides are left out.
  const created = !before || Object.keys(b).length === 0
  return keys
    .sort((x, y) => (rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0))
    .map((k) => ({ key: k, field: fieldLabel(k, memberNames), before: valueLabel(k, b[k], names, cats), after: valueLabel(k, a[k], names, cats), created }))
    .filter((r) => !(r.before === '—' && r.after === '—'))
}
