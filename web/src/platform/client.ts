// Thin fetch wrapper implementing the conventions of docs/API.md:
// same-origin cookie session, X-CSRF-Token on non-GET, Accept-Language, error envelope.
import { ElMessage } from 'element-plus'
import { noteRequest } from '@/platform/session'

export const API_BASE = '/api/v1'

export class ApiError extends Error {
  status: number
  code: string
  field?: string
  body: any
  constructor(status: number, code: string, message: string, field?: string, body?: any) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
    this.body = body
  }
}

let csrfToken = ''
let locale = 'zh-CN'

/** Hooks the router/auth layer installs so the client can redirect without import cycles. */
export const hooks = {
  onUnauthenticated: (): void => {},
  onPasswordChangeRequired: (): void => {},
}

const writeListeners = new Set<() => void>()
/** Calls `fn` after every successful write (non-GET), e.g. to refresh to-do counts; returns an unsubscribe. */
export function onWrite(fn: () => void): () => void {
  writeListeners.add(fn)
  return () => writeListeners.delete(fn)
}

export function setCsrfToken(token: string | undefined | null): void {
  csrfToken = token || ''
}
export function setApiLocale(l: string): void {
  locale = l
}

export interface RequestOptions {
  /** Query parameters; undefined/null/'' values are dropped. */
  query?: Record<string, string | number | boolean | null | undefined>
  /** Raw body (e.g. CSV text) sent with the given content type instead of JSON. FormData goes as multipart. */
  raw?: string | Blob | FormData
  contentType?: string
  /** Do not show an ElMessage for these statuses (the caller renders the error). */
  quiet?: number[] | 'all'
  /** Do not redirect to login on 401 (used for the initial session probe and the login call). */
  noAuthRedirect?: boolean
}

export function buildQuery(query?: RequestOptions['query']): string {
  if (!query) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

export async function request<T = any>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': locale === 'en' ? 'en' : 'zh-CN',
  }
  const m = method.toUpperCase()
  if (m !== 'GET' && m !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let payload: BodyInit | undefined
  if (opts.raw !== undefined) {
    payload = opts.raw
    // For FormData the browser sets multipart/form-data with its boundary.
    if (!(opts.raw instanceof FormData)) headers['Content-Type'] = opts.contentType || 'text/plain; charset=utf-8'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json; charset=utf-8'
  }
  let res: Response
  try {
    res = await fetch(API_BASE + path + buildQuery(opts.query), {
      method: m,
      headers,
      body: payload,
      credentials: 'same-origin',
    })
  } catch (e) {
    const err = new ApiError(0, 'network_error', locale === 'en' ? 'Network error: cannot reach the server' : '网络错误：无法连接服务器')
    if (opts.quiet !== 'all') ElMessage.error(err.message)
    throw err
  }
  if (res.status !== 401) noteRequest()
  if (res.status === 204) {
    if (m !== 'GET' && m !== 'HEAD' && !path.startsWith('/auth/')) writeListeners.forEach((fn) => fn())
    return undefined as T
  }
  const text = await res.text()
  let data: any = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined
    }
  }
  if (res.ok) {
    if (m !== 'GET' && m !== 'HEAD' && !path.startsWith('/auth/')) writeListeners.forEach((fn) => fn())
    return data as T
  }

  const e = data && data.error ? data.error : {}
  const err = new ApiError(res.status, e.code || `http_${res.status}`, e.message || `HTTP ${res.status}`, e.field, data)
  if (res.status === 401 && !opts.noAuthRedirect) {
    hooks.onUnauthenticated()
    throw err
  }
  if (res.status === 403 && err.code === 'password_change_required') {
    hooks.onPasswordChangeRequired()
    throw err
  }
  const quiet = opts.quiet === 'all' || (Array.isArray(opts.quiet) && opts.quiet.includes(res.status))
  if (!quiet) ElMessage.error({ message: err.message, grouping: true })
  return Promise.reject(err)
}

export const api = {
  get: <T = any>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  del: <T = any>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
}
