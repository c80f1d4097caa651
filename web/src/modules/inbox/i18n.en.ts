// Inbox / oversight / notification strings (en).
export default {
  menu: { inbox: 'My to-dos', supervise: 'Oversight' },
  work: {
    inboxTitle: 'My to-dos', superviseTitle: 'Oversight: overdue items in my jurisdiction', inboxHint: 'By deadline, soonest first',
    superviseHint: 'Overdue, unfinished items of my unit and the units below', unitFilter: 'Filter by unit', kind: 'Kind', item: 'Item',
    subject: 'Subject', unit: 'Unit', due: 'Deadline', handle: 'Open', escalationCol: 'Escalation', levels: { l1: 'Warned', l2: 'Escalated', l3: 'District' },
    empty: 'Nothing to do', unavailable: 'The to-do service is not available (the server has no inbox API yet)', overdueN: '{n} overdue',
  },
  notify: {
    title: 'Notifications', unread: '{n} unread', readAll: 'Mark all read', empty: 'No notifications', unavailable: 'Notifications are not available',
  },
}
