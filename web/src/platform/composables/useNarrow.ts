// True below 768 px (phones): layouts switch tables to cards and the menu to a drawer.
import { onBeforeUnmount, ref } from 'vue'

export const NARROW_PX = 768

export function useNarrow() {
  const narrow = ref(window.innerWidth < NARROW_PX)
  const onResize = () => (narrow.value = window.innerWidth < NARROW_PX)
  window.addEventListener('resize', onResize)
  onBeforeUnmount(() => window.removeEventListener('resize', onResize))
  return narrow
}
