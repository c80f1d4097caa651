// An answer started early, taken once: a host page's extension starts its section's first request as soon as the page
// knows the id (Extension.preload, web/src/platform/module.ts), and the section, when it mounts, takes that answer
// instead of asking again. One pending answer per call site, for one id, for `maxAgeMs`; taken at most once, so a later
// load (after an action, a reload) always asks the server again.

export interface Early<T> {
  /** Starts `fetch(id)` now and keeps its answer for the next take(id). */
  start(id: number): void
  /** The answer started for `id` (once, within maxAgeMs), or a new fetch(id). */
  take(id: number): Promise<T>
}

export function early<T>(fetch: (id: number) => Promise<T>, maxAgeMs = 10_000): Early<T> {
  let kept: { id: number; at: number; answer: Promise<T> } | null = null
  return {
    start(id) {
      const answer = fetch(id)
      answer.catch(() => undefined) // the section reports errors when it takes the answer; none is lost unhandled here
      kept = { id, at: Date.now(), answer }
    },
    take(id) {
      const k = kept
      if (k && k.id === id && Date.now() - k.at < maxAgeMs) {
        kept = null
        return k.answer
      }
      return fetch(id)
    },
  }
}
