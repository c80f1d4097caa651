import { ElMessage, ElMessageBox } from 'element-plus'
import { api, ApiError } from '@/platform/client'
import type { User } from '@/platform/types'
import { t } from '@/platform/i18n'

async function confirm(msg: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(msg, t('common.confirmTitle'), { type: 'warning' })
    return true
  } catch {
    return false
  }
}

/** Returns the issued initial password, or null if cancelled/failed. */
export async function resetPassword(u: User): Promise<string | null> {
  if (!(await confirm(t('user.resetConfirm', { name: u.display_name })))) return null
  try {
    const r = await api.post<{ initial_password: string }>(`/users/${u.id}/reset-password`, {})
    return r.initial_password
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    return null
  }
}

export async function setDisabled(u: User, disabled: boolean): Promise<User | null> {
  if (disabled && !(await confirm(t('user.disableConfirm', { name: u.display_name })))) return null
  try {
    const r = await api.post<User>(`/users/${u.id}/${disabled ? 'disable' : 'enable'}`, {})
    ElMessage.success(t('common.saved'))
    return r
  } catch {
    return null
  }
}

export async function unlock(u: User): Promise<User | null> {
  try {
    const r = await api.post<User>(`/users/${u.id}/unlock`, {})
    ElMessage.success(t('common.saved'))
    return r
  } catch {
    return null
  }
}

export function isLocked(u: User): boolean {
  return !!u.locked_until && u.locked_until > Date.now()
}
