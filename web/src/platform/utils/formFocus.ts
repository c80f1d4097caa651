import { nextTick } from 'vue'

/**
 * Brings the first field error inside `root` into view and puts the cursor in it, so a save that failed
 * validation never "does nothing" with its errors off-screen. Waits for the DOM to show the errors first.
 * Returns true when an error was found.
 */
export async function focusFirstError(root: ParentNode | null | undefined = document): Promise<boolean> {
  await nextTick()
  await new Promise((r) => requestAnimationFrame(() => r(null)))
  const item = (root || document).querySelector<HTMLElement>('.el-form-item.is-error, [data-field-error]')
  if (!item) return false
  item.scrollIntoView({ block: 'center', behavior: 'auto' })
  const input = item.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), textarea:not([disabled]), button')
  input?.focus({ preventScroll: true })
  return true
}
