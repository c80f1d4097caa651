// One paged list for every table: page / page_size in, { items, total } out (docs/API.md paging), a loading
// flag, and a stale-answer guard so a slow earlier request never overwrites a newer one.
import { ref, shallowRef, type Ref } from 'vue'
import type { Page } from '@/platform/types'

export interface PageQuery {
  page: number
  page_size: number
}

export interface PagedList<T, R extends Page<T>> {
  rows: Ref<T[]>
  total: Ref<number>
  page: Ref<number>
  pageSize: Ref<number>
  loading: Ref<boolean>
  /** The whole last answer (lists may carry more than items, e.g. counts). */
  last: Ref<R | null>
  load: () => Promise<void>
  /** Back to page 1 and load (after a filter changed). */
  reset: () => Promise<void>
}

export function usePagedList<T, R extends Page<T> = Page<T>>(fetch: (q: PageQuery) => Promise<R>, pageSize = 20): PagedList<T, R> {
  const rows = shallowRef<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const last = shallowRef<R | null>(null) as Ref<R | null>
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const r = await fetch({ page: page.value, page_size: size.value })
      if (mine !== seq) return
      last.value = r
      rows.value = r.items
      total.value = r.total
    } catch {
      if (mine === seq) rows.value = []
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  async function reset() {
    page.value = 1
    await load()
  }
  return { rows, total, page, pageSize: size, loading, last, load, reset }
}
