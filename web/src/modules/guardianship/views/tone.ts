// Tag colours of an intervention's status.
export function statusTone(s: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  if (s === 'proposed' || s === 'approved') return 'warning'
  if (s === 'placed' || s === 'active') return 'danger'
  if (s === 'returned' || s === 'adopted') return 'success'
  return 'info'
}
