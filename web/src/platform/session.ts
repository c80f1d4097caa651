// Idle-session bookkeeping for "no lost forms". The server ends a session after 30 minutes without an
// authenticated request (SessionOptions.session_idle_ms in src/service/deps.h) and records a request's time
// at most once a minute (session_touch_ms). Every API answer other than 401 therefore proves the session was
// alive then; the warning counts from the last one (shared between tabs through localStorage).
export const SESSION_IDLE_MS = 30 * 60 * 1000
/** The server may have recorded our last request up to this much earlier than we saw the answer. */
export const SESSION_TOUCH_MS = 60 * 1000
/** Warn this long before the session would expire. */
export const WARN_BEFORE_MS = 5 * 60 * 1000
const KEY = 'tonghu.lastRequestAt'

let lastRequestLocal = Date.now()

export function noteRequest(now = Date.now()): void {
  lastRequestLocal = now
  try {
    localStorage.setItem(KEY, String(now))
  } catch {
    /* storage unavailable: this tab's own time still counts */
  }
}

export function lastRequestAt(): number {
  let shared = 0
  try {
    shared = Number(localStorage.getItem(KEY) || 0)
  } catch {
    shared = 0
  }
  return Math.max(lastRequestLocal, shared || 0)
}

/** When the session would end if nothing else is sent (conservative by one touch interval). */
export function sessionExpiresAt(): number {
  return lastRequestAt() + SESSION_IDLE_MS - SESSION_TOUCH_MS
}

// The person's own activity (not background polls): polls stop after a few quiet minutes so that they do not
// keep an unattended session alive forever.
let lastInput = Date.now()
const onInput = () => (lastInput = Date.now())
for (const ev of ['pointerdown', 'keydown', 'wheel', 'touchstart']) window.addEventListener(ev, onInput, { passive: true, capture: true })

export function userActiveWithin(ms: number, now = Date.now()): boolean {
  return now - lastInput < ms
}
