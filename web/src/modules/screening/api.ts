// Screening (排查) types and calls, mirroring docs/API.md "Screening (排查)".
// Timestamps are epoch ms; due dates are "YYYY-MM-DD".
import { api } from '@/platform/client'
import type { Page } from '@/platform/types'
import type { Ref, UserRef, RollRequest } from '@/modules/registry/api'

export interface DataSource {
  id: number
  name: string
  dept_type: string
  mapping: Record<string, string>
  created_at: number
  version: number
}

export interface BatchStats {
  records: number
  matched: number
  review: number
  unmatched: number
  findings: number
  findings_by_rule: Record<string, number>
  pending: number
  confirmed: number
  rejected: number
  not_found: number
  added: number
  exited: number
  overdue?: number
}

export type BatchStatus = 'queued' | 'running' | 'done' | 'failed'
export type BatchStage = 'queued' | 'loading' | 'matching' | 'rules' | 'writing' | 'done' | 'failed' | ''

export interface Batch {
  id: number
  source: { id: number; name: string; dept_type: string } | null
  file_name: string
  org_unit: Ref | null
  uploaded_by: UserRef | null
  status: BatchStatus
  stage: BatchStage
  processed: number
  total: number
  attempts: number
  complete_roster: boolean
  reference_date: string | null
  error: string
  created_at: number
  finished_at: number | null
  stats: BatchStats | null
}

export interface FindingRecord {
  /** department: a row of the uploaded file; registry: stands for a registry child absent from the batch. */
  origin?: 'department' | 'registry'
  line: number
  name: string
  sex: string
  birth_date: string | null
  id_number_masked: string
  residence_address?: string
  school_name?: string
  disability_type?: string
  disability_grade?: number
  assistance?: string
  father_state?: string
  mother_state?: string
  [k: string]: unknown
}

export interface Finding {
  id: number
  batch_id: number
  rule_id: string
  rule_name: string
  rule_name_en?: string
  reason: string
  record: FindingRecord
  child: { id: number; name: string; birth_date: string | null; roll_status: string; version: number } | null
  /** Fields of the child's file the department's record contradicts: a confirmation writes the confirmed values. */
  file_changes: FileChange[]
  /** What confirming does: roll_entry | roll_exit | register (needs the registered child's file) | none. */
  confirm_action: string
  match: { band: 'link' | 'review' | 'no_link'; probability: number; explanation: string } | null
  community: Ref | null
  status: 'open' | 'confirmed' | 'rejected' | 'not_found'
  task_id: number | null
}

/** Screening figures of one unit (GET /screening/stats/units). */
export interface UnitStats {
  records: number
  matched: number
  findings: number
  findings_by_rule: Record<string, number>
  pending: number
  confirmed: number
  rejected: number
  not_found: number
  added: number
  exited: number
  overdue: number
}

export interface StatsUnit { id: number; name: string; code: string; level: string; parent_id: number | null }

export interface UnitStatsView {
  unit: StatsUnit
  rows: { unit: StatsUnit | null; stats: UnitStats }[]
  totals: UnitStats
  rules: { id: string; name: string; name_en: string }[]
}

/** True while the server is still working on the batch (poll it). */
export function batchActive(b: { status: BatchStatus }): boolean {
  return b.status === 'queued' || b.status === 'running'
}

export type Outcome = 'confirmed' | 'rejected' | 'not_found'

/** One field of a finding's file_changes (codes as in the child API; assistance ','-separated). */
export interface FileChange {
  field: 'health' | 'disability_type' | 'disability_grade' | 'assistance'
  label: string
  label_en: string
  file_value: string
  department_value: string
  file_text: string
  department_text: string
}

/** What a confirmation writes: the confirmed file values with the file's version, or the registered child. */
export interface OutcomeFile {
  file?: Record<string, string>
  child_version?: number
  child_id?: number
}

export interface Task {
  id: number
  finding: Finding
  community: Ref | null
  due_date: string | null
  overdue: boolean
  outcome: Outcome | null
  note: string
  decided_by: UserRef | null
  decided_at: number | null
  roll_request_id: number | null
  version: number
}

export interface SuggestedChild {
  name?: string
  sex?: string
  birth_date?: string | null
  community_id?: number | null
  [k: string]: unknown
}

export interface OutcomeResult {
  task: Task
  roll_request: RollRequest | null
  suggested_child: SuggestedChild | null
}

/** Department record fields a column can map to (docs/API.md), with the headers recognised for each. */
export const RECORD_FIELDS: { key: string; required?: boolean; headers: string[] }[] = [
  { key: 'name', required: true, headers: ['姓名', '学生姓名', '儿童姓名', 'name'] },
  { key: 'sex', headers: ['性别', 'sex'] },
  { key: 'birth_date', headers: ['出生日期', '出生年月', '生日', 'birth_date'] },
  { key: 'id_number', headers: ['身份证号', '公民身份号码', '身份证号码', '学籍号', '证件号码', 'id_number'] },
  { key: 'father_name', headers: ['父亲姓名', 'father_name'] },
  { key: 'mother_name', headers: ['母亲姓名', 'mother_name'] },
  { key: 'guardian_name', headers: ['监护人姓名', '监护人', 'guardian_name'] },
  { key: 'guardian_phone', headers: ['监护人电话', '联系电话', '电话', 'guardian_phone'] },
  { key: 'hukou_address', headers: ['户籍地址', '户籍所在地', 'hukou_address'] },
  { key: 'hukou_region_code', headers: ['户籍地区划代码', 'hukou_region_code'] },
  { key: 'residence_address', headers: ['现住址', '居住地址', '现居住地址', 'residence_address'] },
  { key: 'community', headers: ['社区', '社区代码', '所在社区', 'community'] },
  { key: 'school_name', headers: ['学校', '学校名称', '就读学校', 'school_name'] },
  { key: 'disability_type', headers: ['残疾类别', 'disability_type'] },
  { key: 'disability_grade', headers: ['残疾等级', 'disability_grade'] },
  { key: 'assistance', headers: ['救助类型', '保障类型', 'assistance'] },
  { key: 'father_state', headers: ['父亲状态', 'father_state'] },
  { key: 'mother_state', headers: ['母亲状态', 'mother_state'] },
]

export const DEPT_TYPES = [
  'education', 'police', 'disability', 'civil_affairs', 'medical_insurance', 'health', 'hrss', 'justice', 'court',
  'procuratorate', 'women', 'youth_league',
]

/** Suggests a mapping from a file's headers (exact header match, case-insensitive, spaces ignored). */
export function suggestMapping(columns: string[], saved?: Record<string, string>): Record<string, string> {
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase()
  const byNorm = new Map(columns.map((c) => [norm(c), c]))
  const out: Record<string, string> = {}
  for (const f of RECORD_FIELDS) {
    const s = saved?.[f.key]
    if (s && byNorm.has(norm(s))) {
      out[f.key] = byNorm.get(norm(s))!
      continue
    }
    const hit = f.headers.find((h) => byNorm.has(norm(h)))
    out[f.key] = hit ? byNorm.get(norm(hit))! : ''
  }
  return out
}

export const screeningApi = {
  /** Header row and sample of a CSV/XLSX file (the children import's parser; the caller falls back on failure). */
  previewFile: (file: File) => {
    const fd = new FormData()
    fd.append('file', file, file.name)
    return api.post<{ format: string; charset: string; rows: number; columns: string[]; sample: { line: number; cells: string[] }[] }>(
      '/children/import/preview', undefined, { raw: fd, query: { file_name: file.name }, quiet: 'all' },
    )
  },
  sources: () => api.get<{ items: DataSource[] }>('/screening/sources'),
  createSource: (body: { name: string; dept_type: string; mapping: Record<string, string> }) =>
    api.post<DataSource>('/screening/sources', body, { quiet: [400, 409] }),
  /** 202: the batch is queued; poll batch(id) for its progress. */
  upload: (file: File, sourceId: number, mapping: Record<string, string>, completeRoster = false) => {
    const fd = new FormData()
    fd.append('file', file, file.name)
    return api.post<Batch>('/screening/batches', undefined, {
      raw: fd,
      query: { source_id: sourceId, file_name: file.name, mapping: JSON.stringify(mapping), complete_roster: completeRoster ? 'true' : undefined },
      quiet: [400, 413, 415],
    })
  },
  batches: (query: Record<string, string | number | undefined>) => api.get<Page<Batch>>('/screening/batches', { query }),
  batch: (id: number) => api.get<Batch>(`/screening/batches/${id}`, { quiet: [404] }),
  unitStats: (query: { unit_id?: number; batch_id?: number }) =>
    api.get<UnitStatsView>('/screening/stats/units', { query, quiet: [404] }),
  findings: (id: number, query: Record<string, string | number | undefined>) =>
    api.get<Page<Finding>>(`/screening/batches/${id}/findings`, { query }),
  tasks: (query: Record<string, string | number | undefined>) => api.get<Page<Task>>('/screening/tasks', { query }),
  task: (id: number) => api.get<Task>(`/screening/tasks/${id}`, { quiet: [404] }),
  outcome: (id: number, outcome: Outcome, note: string, version: number, extra: OutcomeFile = {}) =>
    api.post<OutcomeResult>(`/screening/tasks/${id}/outcome`, { outcome, note, version, ...extra }, { quiet: [400, 403, 404, 409] }),
}
