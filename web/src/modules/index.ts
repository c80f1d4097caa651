// The web modules users get, in menu order. Adding a module: a folder beside these (api.ts, routes.ts,
// i18n.zh-CN.ts, i18n.en.ts, views/, index.ts) and one line here (docs/MODULES.md).
import type { WebModule } from '@/platform/module'
import { workbench } from './workbench'
import { inbox } from './inbox'
import { registry } from './registry'
import { screening } from './screening'
import { reports } from './reports'
import { dispatch } from './dispatch'
import { cases } from './cases'
import { plans } from './plans'
import { visits } from './visits'
import { conferences } from './conferences'
import { guardianship } from './guardianship'
import { warnings } from './warnings'
import { casestats } from './casestats'
import { accounts } from './accounts'

export const modules: WebModule[] = [workbench, inbox, reports, dispatch, cases, plans, visits, warnings, conferences, guardianship, casestats, registry, screening, accounts]
