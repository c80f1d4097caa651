// Early warnings strings (en).
export default {
  menu: { warnings: 'Warnings', warning: 'Warning' },
  wrn: {
    tab: 'Warnings',
    severity: { high: 'High', medium: 'Medium', low: 'Low' },
    status: { open: 'Open', handled: 'Handled', false_alarm: 'False alarm', cleared: 'Cleared', closed: 'Closed' },
    list: {
      title: 'Early warnings', rule: 'Rule', allRules: 'All rules', status: 'Status', all: 'All', child: 'Child', reason: 'Reason',
      raisedAt: 'Raised', severity: 'Severity', empty: 'No warnings', open: 'Open', unit: 'Community',
    },
    detail: {
      title: 'Warning', rule: 'Rule', child: 'Child', reason: 'Reason', raisedAt: 'Raised', raisedBy: 'Raised by', system: 'System (rule evaluation)',
      status: 'Status', closedAt: 'Closed', closedBy: 'Closed by', note: 'Note', handle: 'Handle', outcome: 'Outcome',
      handled: 'Handled', falseAlarm: 'False alarm', notePh: 'What was checked and done (at least 2 characters)', submit: 'Submit', done: 'Saved',
      back: 'Back to list', childFile: "Child's file",
    },
    child: { empty: 'No warnings', raise: 'Raise a warning', reasonPh: 'What was found (e.g. a risk seen on a visit)', raised: 'Warning raised', exists: 'An open warning of this rule exists' },
    card: { title: 'Warnings', open: 'Open warnings', more: 'All', none: 'No open warnings' },
  },
}
