// Inbox / oversight / notification strings (en).
export default {
  menu: { inbox: 'My to-dos', supervise: 'Oversight' },
  work: {
    inboxTitle: 'My to-dos', superviseTitle: 'Oversight: overdue items in my jurisdiction', inboxHint: 'By deadline, soonest first',
    superviseHint: 'Overdue, unfinished items of my unit and the units below', capped: 'More than {n}; the total counts the first {n} by deadline', unitFilter: 'Filter by unit', kind: 'Kind', item: 'Item',
    subject: 'Subject', unit: 'Unit', due: 'Deadline', handle: 'Open', escalationCol: 'Escalation', levels: { l1: 'Warned', l2: 'Escalated', l3: 'District' },
    empty: 'Nothing to do', unavailable: 'The to-do service is not available (the server has no inbox API yet)', overdueN: '{n} overdue',
    record: 'History', extend: 'Request extension', decide: 'Approve/reject', extRequested: 'Extension requested', viewOverdue: 'Overdue', viewExtensions: 'Extensions to decide', extensionsHint: 'Extension requests awaiting approval or rejection in my unit and the units below (overdue or not)',
    ext: {
      title: 'Work item', state: 'State', openSubject: 'Open the page where it is done →', history: 'History', started: 'Started',
      requestTitle: 'Request an extension', reason: 'Reason', reasonHint: 'Why more time is needed (required)', wanted: 'Wanted until', wantedHint: 'Pick a date (optional)',
      submit: 'Request extension', decideTitle: 'Extension request', newDue: 'New deadline', opinion: 'Note', opinionHint: 'Required to reject',
      approve: 'Approve', reject: 'Reject', until: 'until {d}',
      states: { open: 'Open', extension_requested: 'Extension requested', closed: 'Done' },
      actions: { request_extension: 'Extension requested', approve_extension: 'Extension approved', reject_extension: 'Extension rejected', close: 'Done' },
      steps: { warn: 'Deadline warning', overdue: 'Overdue', supervise: 'Escalated to the unit above', district: 'Escalated to the district' },
      done: { request_extension: 'Extension requested', approve_extension: 'Extension approved', reject_extension: 'Extension rejected' },
    },
  },
  notify: {
    title: 'Notifications', unread: '{n} unread', readAll: 'Mark all read', empty: 'No notifications', unavailable: 'Notifications are not available',
  },
}
