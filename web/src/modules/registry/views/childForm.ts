// Form model <-> API input for the child's own fields and for family members / guardian.
import type { ChildFile, FamilyMember } from '@/modules/registry/api'

export interface ChildFormModel {
  name: string
  former_names: string
  sex: string
  ethnicity: string
  birth_date: string | null
  has_id: boolean
  id_number: string
  no_id_reason: string
  hukou_registered: boolean
  hukou_region_code: string
  hukou_nature: string
  hukou_address: string
  community_id: number | null
  grid_id: number | null
  residence_address: string
  resident_since: string | null
  school_name: string
  school_stage: string
  boarding: boolean
  health: string
  disability_type: string
  disability_grade: number
  illness: string
  flow_status: string
  assistance: string[]
  parents_not_findable: boolean
  director_user_id: number | null
  notes: string
}

export function emptyChild(): ChildFormModel {
  return {
    name: '', former_names: '', sex: 'male', ethnicity: '汉族', birth_date: null, has_id: true, id_number: '', no_id_reason: '',
    hukou_registered: true, hukou_region_code: '', hukou_nature: 'unknown', hukou_address: '', community_id: null, grid_id: null,
    residence_address: '', resident_since: null, school_name: '', school_stage: 'unknown', boarding: false, health: 'healthy',
    disability_type: 'none', disability_grade: 0, illness: '', flow_status: 'unknown', assistance: [], parents_not_findable: false,
    director_user_id: null, notes: '',
  }
}

export function fromFile(c: ChildFile): ChildFormModel {
  return {
    name: c.name, former_names: (c.former_names || []).join('、'), sex: c.sex, ethnicity: c.ethnicity || '',
    birth_date: c.birth_date, has_id: c.has_id_number || !c.no_id_reason, id_number: '', no_id_reason: c.no_id_reason || '',
    hukou_registered: c.hukou_registered, hukou_region_code: c.hukou_region_code || '', hukou_nature: c.hukou_nature || 'unknown',
    hukou_address: c.hukou_address || '', community_id: c.community?.id ?? null, grid_id: c.grid?.id ?? null,
    residence_address: c.residence_address || '', resident_since: c.resident_since, school_name: c.school_name || '',
    school_stage: c.school_stage || 'unknown', boarding: !!c.boarding, health: c.health || 'unknown',
    disability_type: c.disability_type || 'none', disability_grade: c.disability_grade || 0, illness: c.illness || '',
    flow_status: c.flow_status || 'unknown', assistance: [...(c.assistance || [])], parents_not_findable: !!c.parents_not_findable,
    director_user_id: c.director?.id ?? null, notes: c.notes || '',
  }
}

function splitNames(s: string): string[] {
  return s.split(/[、,，;；\s]+/).map((x) => x.trim()).filter(Boolean)
}

/** Full ChildInput for POST /children. */
export function toCreateInput(m: ChildFormModel): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: m.name.trim(), former_names: splitNames(m.former_names), sex: m.sex, ethnicity: m.ethnicity.trim(), birth_date: m.birth_date,
    hukou_registered: m.hukou_registered, hukou_region_code: m.hukou_region_code.trim(), hukou_nature: m.hukou_nature,
    hukou_address: m.hukou_address.trim(), community_id: m.community_id, grid_id: m.grid_id, residence_address: m.residence_address.trim(),
    resident_since: m.resident_since, school_name: m.school_name.trim(), school_stage: m.school_stage, boarding: m.boarding,
    health: m.health, disability_type: m.health === 'disabled' ? m.disability_type : 'none',
    disability_grade: m.health === 'disabled' ? m.disability_grade : 0, illness: m.health === 'ill' ? m.illness.trim() : '',
    flow_status: m.flow_status, assistance: m.assistance, parents_not_findable: m.parents_not_findable,
    director_user_id: m.director_user_id, notes: m.notes,
  }
  if (m.has_id) body.id_number = m.id_number.trim().toUpperCase()
  else body.no_id_reason = m.no_id_reason.trim()
  return body
}

/** The fields that differ from `before` (PATCH takes any subset). A blank ID input means "unchanged". */
export function toPatchInput(m: ChildFormModel, before: ChildFormModel): Record<string, unknown> {
  const a = toCreateInput(m)
  const b = toCreateInput({ ...before, id_number: '' })
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(a)) {
    if (k === 'id_number') continue
    if (JSON.stringify(v) !== JSON.stringify(b[k])) out[k] = v
  }
  if (m.has_id && m.id_number.trim()) {
    out.id_number = m.id_number.trim().toUpperCase()
    delete out.no_id_reason
  }
  if (!m.has_id && before.has_id) out.no_id_reason = m.no_id_reason.trim()
  return out
}

export interface MemberFormModel {
  relation: string
  name: string
  id_number: string
  phone: string
  state: string
  state_since: string | null
  restriction_months: number
  disability_type: string
  disability_grade: number
  illness: string
  work_city: string
  works_outside_hukou_county: string
  lives_with_child: boolean
}

export function emptyMember(relation = 'father'): MemberFormModel {
  return {
    relation, name: '', id_number: '', phone: '', state: 'at_home', state_since: null, restriction_months: 0,
    disability_type: 'none', disability_grade: 0, illness: '', work_city: '', works_outside_hukou_county: 'unknown',
    lives_with_child: false,
  }
}

export function memberFromApi(f: FamilyMember): MemberFormModel {
  return {
    relation: f.relation, name: f.name, id_number: '', phone: '', state: f.state, state_since: f.state_since,
    restriction_months: f.restriction_months || 0, disability_type: f.disability_type || 'none', disability_grade: f.disability_grade || 0,
    illness: f.illness || '', work_city: f.work_city || '', works_outside_hukou_county: f.works_outside_hukou_county || 'unknown',
    lives_with_child: !!f.lives_with_child,
  }
}

/** FamilyMemberInput. Identifiers are sent only when typed (blank = keep / none). */
export function memberInput(m: MemberFormModel, forPatch = false): Record<string, unknown> {
  const body: Record<string, unknown> = {
    relation: m.relation, name: m.name.trim(), state: m.state, state_since: m.state_since || null,
    restriction_months: m.restriction_months || 0, disability_type: m.disability_type, disability_grade: m.disability_grade || 0,
    illness: m.illness.trim(), work_city: m.work_city.trim(), works_outside_hukou_county: m.works_outside_hukou_county,
    lives_with_child: m.lives_with_child,
  }
  if (m.id_number.trim()) body.id_number = m.id_number.trim().toUpperCase()
  if (m.phone.trim()) body.phone = m.phone.trim()
  if (!forPatch) return body
  return body
}

export interface GuardianFormModel {
  name: string
  relation: string
  relation_note: string
  member_id: number | null
  phone: string
  id_number: string
  agreement_date: string | null
}

export function emptyGuardian(): GuardianFormModel {
  return { name: '', relation: 'grandmother', relation_note: '', member_id: null, phone: '', id_number: '', agreement_date: null }
}

export function guardianInput(g: GuardianFormModel): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: g.name.trim(), relation: g.relation, relation_note: g.relation_note.trim(), member_id: g.member_id,
    agreement_date: g.agreement_date || null,
  }
  if (g.phone.trim()) body.phone = g.phone.trim()
  if (g.id_number.trim()) body.id_number = g.id_number.trim().toUpperCase()
  return body
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}
