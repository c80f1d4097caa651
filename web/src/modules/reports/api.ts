// Reports (发现报告) types and calls, mirroring docs/API.md "Reports". Times are epoch ms unless named *_at as
// "YYYY-MM-DD HH:MM" strings the reporter typed (seen_at, police.reported_at).
import { api, request } from '@/platform/client'
import type { Page } from '@/platform/types'

export type ReportStatus = 'received' | 'triaged' | 'dispatched' | 'feedback' | 'closed'
export type Channel = 'mandatory' | 'hotline' | 'field' | 'public' | 'screening'
export type Urgency = 'immediate' | '24h' | 'routine'

export interface Ref { id: number; name: string }
export interface UserRef { id: number; display_name: string }

export interface Police { reported: boolean; station: string; reported_at: string; receipt_no: string }
export interface Told { civil_affairs: boolean; education: boolean }
export interface Attachment { id: number; content_type: string; size_bytes: number; source?: string; created_at?: number; sha256?: string }
/** The reporter: masked unless revealed ({masked: true} in lists and details). */
export interface Reporter { masked?: boolean; anonymous?: boolean; name?: string; phone?: string; agency?: Ref | null }

export interface Report {
  id: number
  channel: Channel
  channel_name?: string
  status: ReportStatus
  status_name?: string
  urgency: Urgency | '' | null
  urgency_name?: string | null
  category: string | null
  category_name?: string | null
  sensitive: boolean
  /** A sensitive report whose text the caller sees masked (lists). */
  masked?: boolean
  description: string
  place: string
  situations: string[]
  child: (Ref & { community?: Ref | null }) | null
  child_id?: number | null
  child_name: string
  child_age: number | null
  child_school: string
  seen_at: string
  unit: Ref | null
  /** The district center that triages; `unit` equals it until triage names a street or community. */
  district_unit_id?: number
  reporter?: Reporter
  reporter_agency?: Ref | null
  police?: Police
  told?: Told
  triage_note?: string | null
  outcome?: string | null
  reply_to_reporter?: string | null
  /** What the reporter is told (未保法 Art 11): the status and, once closed, the reply. */
  result?: string | null
  public_status_name?: string
  /** The caller sees this report only as its reporter (status and result). */
  reporter_only?: boolean
  mine?: boolean
  attachments?: Attachment[]
  tracking_code?: string
  created_at: number
  created_by?: UserRef | null
  triaged_at?: number | null
  closed_at?: number | null
  version: number
}

export interface ReportInput {
  channel: Exclude<Channel, 'public'>
  description: string
  place: string
  situations: string[]
  child_id?: number | null
  child_name?: string
  child_age?: number | null
  child_school?: string
  seen_at?: string
  reporter_name?: string
  reporter_phone?: string
  anonymous?: boolean
  police?: Police
  told?: Told
  finding_id?: number
}

export interface PublicReportInput {
  description: string
  place: string
  child_name?: string
  child_age?: number | null
  seen_at?: string
  situations?: string[]
  contact_name?: string
  contact_phone?: string
}

export interface Shift { id: number; user: UserRef & { phone_masked?: string }; starts_at: number; ends_at: number; note: string; version: number }
export interface Handover { id: number; shift_id: number | null; note: string; created_by: UserRef | null; created_at: number }
/** Who is on duty now: the shifts covering this moment (GET /duty/now answers {items}); `shift` is the first. */
export interface DutyNow { items: Shift[]; shift: Shift | null }

/** The server's report (docs/API.md "Reports"): child as {id, name, age, school}, situations as {code, name},
 *  masked text as null. normalize() turns it into the Report the views use. */
interface RawReport extends Omit<Report, 'child' | 'child_name' | 'child_age' | 'child_school' | 'situations' | 'description' | 'place' | 'seen_at'> {
  child: { id: number | null; name: string | null; age: number | null; school: string | null } | null
  situations: ({ code: string; name: string } | string)[]
  description: string | null
  place: string | null
  seen_at: string | null
}
export const situationNames: Record<string, string> = {}
function normalize(r: RawReport): Report {
  const c = r.child
  const situations = (r.situations || []).map((x) => {
    if (typeof x === 'string') return x
    situationNames[x.code] = x.name
    return x.code
  })
  return {
    ...r,
    situations,
    description: r.description ?? '',
    place: r.place ?? '',
    seen_at: r.seen_at ?? '',
    child: c && c.id ? { id: c.id, name: c.name || `#${c.id}` } : null,
    child_name: c?.name || '',
    child_age: c?.age ?? null,
    child_school: c?.school || '',
  }
}
const one = (p: Promise<RawReport>) => p.then(normalize)
const page = (p: Promise<Page<RawReport>>) => p.then((r) => ({ ...r, items: r.items.map(normalize) }))

export type ReportQuery = Partial<Record<'status' | 'channel' | 'urgency' | 'category' | 'q' | 'unit_id' | 'mine', string | number>> & {
  page?: number
  page_size?: number
}

export const reportsApi = {
  // The public page (no session).
  publicCreate: (b: PublicReportInput) => api.post<{ tracking_code: string }>('/public/reports', b, { quiet: [400, 413, 429], noAuthRedirect: true }),
  publicStatus: (code: string) =>
    api.get<{ status: ReportStatus; status_name: string }>(`/public/reports/${encodeURIComponent(code)}`, { quiet: [400, 404, 429], noAuthRedirect: true }),
  publicPhoto: (code: string, file: Blob) =>
    request<{ id?: number }>('POST', `/public/reports/${encodeURIComponent(code)}/photos`, undefined, {
      raw: file,
      contentType: file.type || 'application/octet-stream',
      quiet: [400, 404, 409, 413, 429],
      noAuthRedirect: true,
    }),

  create: (b: ReportInput) => one(api.post<RawReport>('/reports', b, { quiet: [400, 403] })),
  list: (q: ReportQuery): Promise<Page<Report>> => page(api.get<Page<RawReport>>('/reports', { query: q })),
  get: (id: number, quiet?: number[]) => one(api.get<RawReport>(`/reports/${id}`, { quiet })),
  reveal: (id: number, purpose: string) => api.post<Reporter>(`/reports/${id}/reveal-reporter`, { purpose }, { quiet: [400] }),
  triage: (id: number, b: { version: number; child_id?: number | null; urgency: string; category: string; unit_id?: number | null; note: string }) =>
    one(api.post<RawReport>(`/reports/${id}/triage`, b, { quiet: [400, 409] })),
  close: (id: number, b: { version: number; outcome: string; reply_to_reporter: string }) => one(api.post<RawReport>(`/reports/${id}/close`, b, { quiet: [400, 409] })),
  attach: (id: number, file: Blob) =>
    request<Attachment>('POST', `/reports/${id}/attachments`, undefined, { raw: file, contentType: file.type || 'application/octet-stream', quiet: [400, 413] }),
  attachmentUrl: (id: number, attId: number) => `/api/v1/reports/${id}/attachments/${attId}`,
  ofChild: (childId: number): Promise<Page<Report>> => page(api.get<Page<RawReport>>(`/children/${childId}/reports`, { query: { page_size: 100 } })),

  shifts: (q: { from?: number; to?: number } = {}) => api.get<{ items: Shift[] }>('/duty/shifts', { query: q }),
  addShift: (b: { user_id: number; starts_at: number; ends_at: number; note: string }) => api.post<Shift>('/duty/shifts', b, { quiet: [400, 409] }),
  removeShift: (s: Shift) => api.del(`/duty/shifts/${s.id}`, { query: { version: s.version } }),
  dutyNow: () => api.get<{ items: Shift[] }>('/duty/now', { quiet: 'all' }).then((r): DutyNow => ({ items: r.items || [], shift: (r.items || [])[0] || null })),
  handovers: (q: { page?: number; page_size?: number } = {}) => api.get<Page<Handover>>('/duty/handovers', { query: q }),
  addHandover: (b: { note: string }) => api.post<Handover>('/duty/handovers', b, { quiet: [400] }),
}
