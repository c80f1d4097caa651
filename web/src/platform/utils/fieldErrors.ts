import { reactive } from 'vue'
import { ApiError } from '@/platform/client'

/** Collects `error.field` from API errors so a form can show them on the matching el-form-item (:error). */
export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /** Returns true if the error named a field (and was recorded). */
  function apply(e: unknown): boolean {
    clear()
    if (e instanceof ApiError && e.field) {
      errors[e.field] = e.message
      return true
    }
    return false
  }
  return { errors, clear, apply }
}
