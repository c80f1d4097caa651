// Slots where one module's page shows pieces of other modules, so that a page never imports the module that fills
// it (the registry's child file shows the reports tab without knowing the reports module). Slots today:
//   'child.tabs'      tabs of the child file (props: childId): 报告 (reports), 走访 (visits), 会商 (conferences),
//                     监护干预 (guardianship, only with guardianship.read)
//   'child.reports'   sections under the child file's 报告 tab (props: childId)
//   'report.detail'   sections of a report's detail page (props: report, reload)
//   'report.print'    sections of a report's A4 print view (props: report)
//   'case.detail'     sections of a case's page (props: caseRecord, reload): the plans module adds the plan, conferences
//                     the case's 个案会商 (and 从本个案召集会商); the page calls each one's preload(caseId) with its own
//                     GET /cases/{id}, so the plan's and the conferences' requests run in parallel with the case's
//   'workbench.cards' cards of a module's numbers on the 工作台 (props: none; each card loads its own numbers and
//                     shows nothing when it cannot), e.g. dispatch's 派单 card for 区民政 and 领导, casestats' 个案概况
import { modules } from '@/modules'
import { useAuth } from '@/platform/stores/auth'
import type { Extension } from '@/platform/module'

/** The extensions of `slot` the signed-in user may see, in order. */
export function extensionsOf(slot: string): Extension[] {
  const auth = useAuth()
  return modules
    .flatMap((m) => m.extensions?.[slot] || [])
    .filter((e) => !e.perms || auth.can(...e.perms))
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
}
