// Types mirror docs/API.md (v1). Timestamps are epoch milliseconds (UTC).

export interface RoleRef {
  code: string
  name: string
  name_en: string
}

export interface Role extends RoleRef {
  permissions: string[]
}

export type OrgLevel = 'city' | 'district' | 'street' | 'community' | 'grid'

export interface Me {
  id: number
  username: string
  display_name: string
  locale: string
  role: RoleRef
  permissions: string[]
  org_unit: { id: number; code: string; name: string; level: OrgLevel; path_names: string[] }
  must_change_password: boolean
  csrf_token?: string
}

export interface OrgUnit {
  id: number
  parent_id: number | null
  code: string
  name: string
  level: OrgLevel
  path: string
  path_names: string[]
  retired: boolean
  child_count: number
  version: number
  created_at: number
  updated_at: number
}

export interface Agency {
  id: number
  org_unit_id: number
  org_unit_name: string
  kind: 'station' | 'center' | 'department' | 'social_org'
  dept_type: string | null
  name: string
  contact: string
  phone: string
  retired: boolean
  version: number
}

export interface User {
  id: number
  username: string
  display_name: string
  role: RoleRef
  org_unit: { id: number; name: string; code: string }
  agency_id: number | null
  phone_masked: string | null
  disabled: boolean
  locked_until: number | null
  must_change_password: boolean
  last_login_at: number | null
  version: number
  created_at: number
}

export interface LocalName { zh: string; en: string }

export interface AuditEntry {
  id: number
  at: number
  actor_id: number | null
  actor_name: string | null
  action: string
  /** From the server's one table of action names (never missing: an unknown action names itself). */
  action_name: LocalName
  object_type: string | null
  object_type_name: LocalName
  object_id: string | number | null
  /** The object's name (user, unit, agency, child) when the server could name it. */
  object_name: string | null
  purpose: string | null
  client_ip: string | null
  before: unknown
  after: unknown
  hash: string
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}
