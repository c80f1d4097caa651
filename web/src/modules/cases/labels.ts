// Tag tones of case statuses.
export function caseTone(s: string): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  return s === 'closed' ? 'info' : s === 'intervening' ? 'success' : s === 'intake' ? 'warning' : 'primary'
}
