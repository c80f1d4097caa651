// Child registry (一人一档) types and calls, mirroring docs/API.md "Children (registry)".
// Dates are "YYYY-MM-DD" strings or null; timestamps are epoch ms. Identifiers come masked.
import { api, request, buildQuery, ApiError } from '@/platform/client'
import { i18n } from '@/platform/i18n'
import type { Page } from '@/platform/types'

export interface Ref { id: number; name: string }
export interface UserRef { id: number; display_name: string }

export interface ChildSummary {
  id: number
  name: string
  sex: string
  birth_date: string | null
  age: number | null
  id_number_masked: string
  has_id_number: boolean
  street: Ref | null
  community: Ref | null
  grid: Ref | null
  flow_status: string
  school_stage: string
  school_name: string
  categories: string[]
  roll_status: string
  /** The current risk grade code (cases module: red, orange, yellow, blue, green), "" when never graded. */
  risk_grade?: string
  risk_graded_at?: number | null
  guardian_name: string
  version: number
  updated_at: number
}

export interface FamilyMember {
  id: number
  relation: string
  relation_name?: string
  name: string
  id_number_masked: string
  has_id_number: boolean
  phone_masked: string
  state: string
  state_name?: string
  state_since: string | null
  restriction_months: number
  disability_type: string
  disability_grade: number
  illness: string
  work_city: string
  work_region_code: string
  works_outside_hukou_county: string
  lives_with_child: boolean
}

export interface Guardian {
  name: string
  relation: string
  relation_note: string
  member_id: number | null
  phone_masked: string
  id_number_masked: string
  agreement_date: string | null
}

export interface CategoryOverride { met: boolean; reason: string; by: UserRef | null; at: number }

export interface CategoryVerdict {
  code: string
  name: string
  kind: 'protected' | 'monitored'
  national_type: string
  national_type_name: string
  derivation: 'rule' | 'worker'
  rule_outcome: 'met' | 'not_met' | 'aged_out' | null
  rule_id: string
  rule_name: string     // the rule in words (zh-CN); rule_id is a key, never shown
  rule_name_en: string
  reason: string
  met_since: string | null
  ends_on: string | null
  next_change_date: string | null
  met: boolean
  source: 'rule' | 'override'
  override: CategoryOverride | null
}

export interface ChildFile extends ChildSummary {
  former_names: string[]
  ethnicity: string
  no_id_reason: string
  hukou_registered: boolean
  hukou_region_code: string
  hukou_nature: string
  hukou_address: string
  residence_address: string
  resident_since: string | null
  boarding: boolean
  health: string
  disability_type: string
  disability_grade: number
  illness: string
  assistance: string[]
  parents_not_findable: boolean
  director: UserRef | null
  notes: string
  household_id: string
  siblings: { id: number; name: string; sex: string; birth_date: string | null }[]
  family: FamilyMember[]
  guardian: Guardian | null
  category_verdicts: CategoryVerdict[]
  next_change_date: string | null
  roll: { status: string; categories: string[]; entered_on: string | null; exited_on: string | null; pending_request_id: number | null }
  created_at: number
  created_by: UserRef | null
}

export interface CategoryDef {
  code: string
  name: string
  kind: 'protected' | 'monitored'
  national_type: string
  national_type_name: string
  derivation: 'rule' | 'worker'
  rule?: string
  max_age: number
  description: string
}

export interface HistoryEntry {
  id: number
  at: number
  actor_id: number | null
  actor_name: string | null
  action: string
  /** The action's name from the server's one table (GET /audit/actions). */
  action_name?: { zh: string; en: string }
  purpose: string | null
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}

export interface RollStep { action: string; by: UserRef | null; at: number; note: string }
export interface RollRequest {
  id: number
  child: { id: number; name: string; community: Ref | null }
  kind: 'entry' | 'change' | 'exit'
  category: string
  reason: string
  evidence: string
  /** The category's rule verdict when proposed ('' for exits and worker-assigned categories). */
  rule_outcome: 'met' | 'not_met' | 'aged_out' | ''
  rule_reason: string
  status: 'pending_review' | 'pending_confirm' | 'confirmed' | 'returned'
  proposed_by: UserRef | null
  proposed_at: number
  steps: RollStep[]
  version: number
}

export interface PhotoInfo {
  content_type: string
  size_bytes: number
  sha256: string
  photo_version: number
  updated_at: number
  /** The child's version after the change (the photo is part of the file). */
  version: number
}

export type Duplicate = ChildSummary & { match: 'id_number' | 'name_birth_date' | 'name_birth_date_guardian' }

export const childrenApi = {
  list: (query: Record<string, string | number | null | undefined>) => api.get<Page<ChildSummary>>('/children', { query }),
  get: (id: number | string, quiet?: number[]) => api.get<ChildFile>(`/children/${id}`, { quiet }),
  create: (body: Record<string, unknown>) => api.post<ChildFile>('/children', body, { quiet: [400, 409] }),
  update: (id: number, body: Record<string, unknown>) => api.patch<ChildFile>(`/children/${id}`, body, { quiet: [400, 409] }),
  duplicates: (query: Record<string, string | undefined>) =>
    api.get<{ items: Duplicate[]; outside_jurisdiction: number }>('/children/duplicates', { query, quiet: [400] }),
  addMember: (id: number, member: Record<string, unknown>, version: number, reason = '') =>
    api.post<ChildFile>(`/children/${id}/family`, { member, version, reason }, { quiet: [400, 409] }),
  updateMember: (id: number, memberId: number, member: Record<string, unknown>, version: number, reason = '') =>
    api.patch<ChildFile>(`/children/${id}/family/${memberId}`, { member, version, reason }, { quiet: [400, 409] }),
  removeMember: (id: number, memberId: number, version: number, reason = '') =>
    api.del<ChildFile>(`/children/${id}/family/${memberId}`, { query: { version, reason: reason || undefined }, quiet: [409] }),
  setGuardian: (id: number, guardian: Record<string, unknown> | null, version: number, reason = '') =>
    request<ChildFile>('PUT', `/children/${id}/guardian`, { guardian, version, reason }, { quiet: [400, 409] }),
  /** The photo's metadata (no image, not audited); null when the child has none. */
  photoInfo: (id: number) => api.get<{ photo: PhotoInfo | null }>(`/child-photos/${id}/info`),
  /** The image URL (served with the session cookie, audited per view); `v` busts the browser's memory cache. */
  photoUrl: (id: number, v: number) => `/api/v1/child-photos/${id}?v=${v}`,
  setPhoto: (id: number, file: Blob, version: number, reason = '') =>
    request<PhotoInfo>('PUT', `/child-photos/${id}`, undefined, {
      raw: file,
      contentType: 'application/octet-stream',
      query: { version, reason: reason || undefined },
      quiet: [400, 409, 413],
    }),
  removePhoto: (id: number, version: number, reason = '') =>
    api.del<{ photo: null; version: number }>(`/child-photos/${id}`, { query: { version, reason: reason || undefined }, quiet: [404, 409] }),
  reveal: (id: number, body: { target: 'child' | 'guardian' | 'member' | 'placement'; member_id?: number; ref_id?: number; field: 'id_number' | 'phone'; purpose: string }) =>
    api.post<{ value: string }>(`/children/${id}/reveal`, body, { quiet: [400] }),
  history: (id: number, page: number, pageSize: number) =>
    api.get<Page<HistoryEntry> & { names?: Record<string, Record<string, string>> }>(`/children/${id}/history`, { query: { page, page_size: pageSize } }),
  override: (id: number, body: { category: string; met: boolean | null; reason: string; version: number }) =>
    api.post<ChildFile>(`/children/${id}/category-overrides`, body, { quiet: [400, 409] }),
  categories: () =>
    api.get<{ province: string; province_code: string; title: string; version: number; items: CategoryDef[] }>('/categories'),
  propose: (id: number, body: { kind: string; category: string; reason: string; evidence: string }) =>
    api.post<RollRequest>(`/children/${id}/roll-requests`, body, { quiet: [400, 409] }),
  rollRequests: (query: Record<string, string | number | undefined>) => api.get<Page<RollRequest>>('/roll-requests', { query }),
  rollRequest: (id: number) => api.get<RollRequest>(`/roll-requests/${id}`),
  rollAct: (id: number, action: 'review' | 'confirm' | 'return', note: string, version: number) =>
    api.post<RollRequest>(`/roll-requests/${id}/${action}`, { note, version }, { quiet: [400, 409] }),
}

// ---- Import / export (GET /children/export, POST /children/import[/preview], GET /children/import/template) ----

export interface ImportFieldDef { key: string; label: string; label_en: string; required: boolean; headers: string[] }
export interface ImportPreview {
  /** The staged upload: dry run and import refer to it instead of sending the file again. */
  upload_token: string
  expires_at: number | null
  format: string
  charset: string
  file_name: string
  rows: number
  columns: string[]
  mapping: Record<string, string>
  unmapped_columns: string[]
  missing_required: string[]
  sample: { line: number; cells: string[] }[]
  fields: ImportFieldDef[]
}
export interface ImportReject { line: number; column: string; field: string; code: string; message: string }
export interface ImportReport {
  format: string
  charset: string
  rows: number
  valid: number
  created: number
  rejected_rows: number
  rejected: ImportReject[]
  rejected_truncated: boolean
  dry_run: boolean
  committed: boolean
  elapsed_ms: number
}

function uploadForm(file: File, mapping?: Record<string, string>): FormData {
  const fd = new FormData()
  fd.append('file', file, file.name)
  if (mapping) fd.append('mapping', JSON.stringify(mapping))
  return fd
}

export const transferApi = {
  preview: (file: File) =>
    api.post<ImportPreview>('/children/import/preview', undefined, { raw: uploadForm(file), query: { file_name: file.name }, quiet: [400, 413, 415] }),
  /** Resolves with the report; a real import with rejected rows answers 400 import_rejected whose body carries the report.
   *  The file itself was staged by preview (upload_token; 404 upload_not_found once it expired). */
  run: (uploadToken: string, mapping: Record<string, string>, dryRun: boolean) =>
    api.post<ImportReport>('/children/import', { upload_token: uploadToken, mapping, dry_run: dryRun }, { quiet: [400, 404, 413, 415] }),
}

/** Fetches a file download (cookie session) and hands it to the browser; API errors reject with ApiError. */
export async function download(path: string, query: Record<string, string | number | null | undefined>): Promise<{ name: string; rows: number | null; masked: boolean }> {
  const res = await fetch('/api/v1' + path + buildQuery(query), {
    credentials: 'same-origin',
    headers: { 'Accept-Language': i18n.global.locale.value === 'en' ? 'en' : 'zh-CN' },
  })
  if (!res.ok) {
    let e: any = {}
    try {
      e = (await res.json()).error || {}
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, e.code || `http_${res.status}`, e.message || `HTTP ${res.status}`, e.field)
  }
  const blob = await res.blob()
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : 'download'
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  const rows = res.headers.get('X-Export-Rows')
  return { name, rows: rows === null ? null : Number(rows), masked: res.headers.get('X-Export-Masked') !== '0' }
}
