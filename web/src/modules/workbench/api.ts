// 工作台 (GET /api/v1/workbench): the caller's to-dos, the numbers of their jurisdiction, trend, recent files.
import { api } from '@/platform/client'
import type { KindCount } from '@/modules/inbox/api'

export interface Workbench {
  unit: { id: number; name: string; level: string }
  /** `source` names where the to-dos come from ("roll_and_tasks" until the API reads the work engine). */
  todo: { due_today: number; overdue: number; total: number; counts: KindCount[]; source?: string }
  numbers: {
    /** False when the role sees no children (e.g. system administrators). */
    visible?: boolean
    children_total: number
    on_roll: number
    entered_this_month: number
    exited_this_month: number
    open_tasks: number
    by_category: { code: string; name: string; count: number }[]
    by_unit: { id: number | null; name: string; count: number }[]
  }
  trend: { month: string; entered: number; exited: number; on_roll: number }[]
  recent_files: { child_id: number; name: string; unit_name: string; viewed_at: string }[]
}

export const workbenchApi = {
  get: () => api.get<Workbench>('/workbench', { quiet: [404] }),
}
