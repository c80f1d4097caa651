// The viewer's watermark on pages with personal data (DESIGN.md "Privacy by default"): name, account and the
// time the page was shown, in Asia/Shanghai. Exports carry the same text (server side).
import { useAuth } from '@/platform/stores/auth'
import { formatTime } from '@/platform/utils/format'

export function watermarkLines(now = Date.now()): string[] {
  const me = useAuth().me
  if (!me) return []
  return [`${me.display_name} ${me.username}`, formatTime(now).slice(0, 16)]
}
