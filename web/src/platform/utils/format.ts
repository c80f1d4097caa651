// Display helpers. All timestamps from the API are epoch ms (UTC); show them in Asia/Shanghai.
const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms === 0) return '—'
  const parts = Object.fromEntries(dtf.formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  const hour = parts.hour === '24' ? '00' : parts.hour
  return `${parts.year}-${parts.month}-${parts.day} ${hour}:${parts.minute}:${parts.second}`
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000 // China has no DST.

/**
 * A date picker returns a Date whose wall-clock fields (in the browser's zone) are what the user chose.
 * Interpret those fields as Asia/Shanghai wall-clock time and return epoch ms.
 */
export function shanghaiWallClockToEpoch(d: Date): number {
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()) - SHANGHAI_OFFSET_MS
}

export function jurisdiction(pathNames: string[] | undefined | null): string {
  return (pathNames || []).join(' / ')
}

export function prettyJson(v: unknown): string {
  if (v === null || v === undefined) return '—'
  try {
    return JSON.stringify(v, null, 2)
  } catch {
    return String(v)
  }
}

/** An ISO-8601 time from the API (e.g. 2026-12-06T17:00:00+08:00) as Asia/Shanghai `YYYY-MM-DD HH:mm`. */
export function formatIso(iso: string | null | undefined): string {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : formatTime(ms).slice(0, 16)
}

/** Today's date in Asia/Shanghai, `YYYY-MM-DD`. */
export function shanghaiToday(now = Date.now()): string {
  return formatTime(now).slice(0, 10)
}
