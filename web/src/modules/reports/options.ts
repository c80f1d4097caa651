// The report categories and the situations of 意见 Art 4 as the server is configured (config/reports/categories.json,
// GET /api/v1/report-options, names in the UI's language): a province that changes its config sees its own categories
// in forms, filters and labels. Loaded once per language; until then (or if the call fails) the built-in codes of
// labels.ts and the i18n names stand in.
import { reactive } from 'vue'
import { api } from '@/platform/client'
import { i18n } from '@/platform/i18n'

export interface ConfiguredCategory { code: string; name: string; sensitive: boolean }
export interface ConfiguredSituation { code: string; name: string; urgent: boolean }
interface OptionsResponse { categories: ConfiguredCategory[]; situations: ConfiguredSituation[]; max_photos: number; photo_hours: number }

export const reportOptions = reactive({
  locale: '' as string,
  categories: [] as ConfiguredCategory[],
  situations: [] as ConfiguredSituation[],
})

let pending: Promise<void> | null = null

/** Loads the configured options for the current language (once); `publicPage`: without a session. */
export function loadReportOptions(publicPage = false): Promise<void> {
  const locale = String(i18n.global.locale.value)
  if (reportOptions.locale === locale) return Promise.resolve()
  if (pending) return pending
  const path = publicPage ? '/public/report-options' : '/report-options'
  pending = api
    .get<OptionsResponse>(path, { quiet: 'all', noAuthRedirect: publicPage })
    .then((o) => {
      reportOptions.categories = o.categories || []
      reportOptions.situations = o.situations || []
      reportOptions.locale = locale
    })
    .catch(() => undefined)
    .finally(() => {
      pending = null
    })
  return pending
}

/** The configured name of a category or situation code, if the options are loaded and know it. */
export function configuredName(group: 'category' | 'situation', code: string): string | undefined {
  const list: { code: string; name: string }[] = group === 'category' ? reportOptions.categories : reportOptions.situations
  return list.find((x) => x.code === code)?.name
}
