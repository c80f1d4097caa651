// Platform strings (en): the shell, login, common words. Modules add theirs in web/src/modules/*/i18n.en.ts.
export default {
  app: { name: 'Tonghu', title: 'Tonghu · Child Protection Platform', subtitle: 'Community child protection platform' },
  common: {
    ok: 'OK', cancel: 'Cancel', save: 'Save', edit: 'Edit', create: 'New', search: 'Search', reset: 'Reset',
    actions: 'Actions', yes: 'Yes', no: 'No', loading: 'Loading…', copy: 'Copy', copied: 'Copied', close: 'Close',
    detail: 'Details', back: 'Back', refresh: 'Refresh', all: 'All', none: 'None', retired: 'Retired', active: 'Active',
    notFound: 'The record does not exist or is outside your jurisdiction', notFoundTitle: 'Not found',
    staleReloaded: 'Someone else changed this record; it has been reloaded, please try again',
    saved: 'Saved', readOnly: 'Read only', confirmTitle: 'Please confirm', total: '{n} in total', seq: 'No.', view: 'View',
  },
  auth: {
    username: 'Username', password: 'Password', login: 'Sign in', loggingIn: 'Signing in…', logout: 'Sign out',
    logoutAll: 'Sign out everywhere', usernameRequired: 'Enter your username', passwordRequired: 'Enter your password',
    loginTitle: 'Sign in', loginHint: 'For authorised staff only. All actions are logged.',
    changePassword: 'Change password', mustChange: 'You are using an issued initial password. Set a new password to continue.',
    oldPassword: 'Current password', newPassword: 'New password', confirmPassword: 'Confirm new password',
    passwordRule: 'At least 10 characters with letters and digits, not equal to the username',
    mismatch: 'The new passwords do not match', changed: 'Password changed', loggedOut: 'Signed out',
    loggedOutAll: 'Signed out on all devices', logoutAllConfirm: 'This ends your sessions on every device. Continue?',
  },
  menu: { profile: 'Profile' },
  work: { overdue: 'Overdue', dueToday: 'Due today' },
  idle: {
    title: 'You will be signed out soon', text: 'You have been inactive for a while. To protect children\'s data the session ends in', 
    keep: 'Stay signed in', kept: 'You are still signed in', expiredTitle: 'Session expired', expiredText: 'Your session ended after a period of inactivity. Sign in again to continue (unsaved input may need to be entered again).', relogin: 'Sign in again',
  },
  layout: { menu: 'Menu' },
  print: { date: '{y}-{m}-{d}', print: 'Print', printedBy: 'Printed by {mark}' },
  upload: {
    pickFile: 'Choose a CSV / XLSX file', fileInfo: '{name}: {format}, {charset}, {rows} rows', sample: 'Preview (first {n} rows)', line: 'Line',
    mapping: 'Column mapping', notMapped: '(not imported)', missingRequired: 'Required columns missing: {f}', unmapped: 'Unused columns: {c}',
  },
  topbar: { jurisdiction: 'Jurisdiction', role: 'Role', language: 'Language' },
  level: { city: 'City', district: 'District', street: 'Street', community: 'Community', grid: 'Grid' },
  change: {
    field: 'Field', displayName: 'Name', orgUnit: 'Unit', code: 'Code', level: 'Level', parent: 'Parent unit', disabled: 'Disabled',
    reason: 'Reason', requestId: 'Request no.', verificationTask: 'Verification task no.', lockedUntil: 'Locked until',
  },
  profile: { title: 'Profile', info: 'Account', security: 'Security' },
  errors: { notFoundPage: 'Page not found', forbidden: 'You do not have permission to open this page', goHome: 'Back to dashboard' },
}
