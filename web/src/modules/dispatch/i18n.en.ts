// Dispatch strings (en).
export default {
  menu: { dspOrders: 'Dispatch orders', dspOrder: 'Order', dspStats: 'Report statistics' },
  dsp: {
    state: {
      pending_accept: 'To accept', handling: 'Handling', extension_requested: 'Extension asked', return_requested: 'Return asked', returned: 'Returned', feedback: 'Fed back', closed: 'Closed', open: 'Open',
    },
    action: {
      dispatch: 'Dispatch', accept: 'Accept', return: 'Return', request_extension: 'Ask extension', feedback: 'Feed back', approve_return: 'Approve return', reject_return: 'Reject return',
      approve_extension: 'Approve extension', reject_extension: 'Reject extension', revisit: 'Return visit', redo: 'Redo', close: 'Close',
    },
    role: { lead: 'Lead', co: 'Co' },
    list: {
      title: 'Dispatch orders', centerTitle: 'Order oversight', overdue: 'Overdue only', target: 'Receiver', report: 'Report', due: 'Due now', dispatchedAt: 'Dispatched',
      empty: 'No orders', instructions: 'Instructions', round: 'Round {n}', handle: 'Handle', no: 'Order',
    },
    order: {
      title: 'Order #{id}', report: 'The report', summary: 'Summary', place: 'Place', child: 'Child file', instructions: 'Instructions', designated: 'Designated (cannot be returned)',
      review: 'Review by', deadlines: 'Deadlines', accept: 'Accept by', handle: 'Handle by', revisit: 'Revisit by', acceptedAt: 'Accepted', feedbackAt: 'Fed back', onTime: 'On time', late: 'Late',
      attachments: 'Attachments', noAttachments: 'None', extensionAsked: 'Extension asked to {d}', extensions: 'Extended {n}×', redos: 'Redone {n}×',
      timeline: 'Work sheet', noActions: 'Nothing for you to do now', coWait: 'The lead feeds back after its co-handlers', openReport: 'Open report', masked: 'Sensitive: summary hidden',
      satisfied: 'Satisfied', unsatisfied: 'Not satisfied', reached: 'Reached',
    },
    act: {
      outcome: 'Outcome', outcomePh: 'The report\'s outcome (the note when empty)', reply: 'Reply to the reporter', replyPh: 'The result the reporter sees (Minors Protection Law Art 11)',
      title: '{action} · order #{id}', note: 'Note', notePh: {
        accept: 'Optional', return: 'Why it is outside your duties', request_extension: 'Why more time is needed', feedback: 'What was done, how the child is, what follows',
        approve_return: 'Optional', reject_return: 'Why', approve_extension: 'Optional', reject_extension: 'Why', revisit: 'What the visit found', redo: 'What must be redone', close: 'Outcome',
      },
      dueDate: 'Extend to', dueDateApprove: 'Grant until (blank: as asked)', reached: 'Reached', reachedPh: 'e.g. the guardian by phone, the class teacher',
      satisfied: 'Satisfied', verified: 'Verified', verifiedYes: 'Resolved: close', verifiedNo: 'Not resolved: redo', files: 'Attachments (images, PDF, 5 MB each)', pick: 'Choose files',
      noteRequired: 'Write a note', dueRequired: 'Choose the date', reachedRequired: 'Say whom you reached', satisfiedRequired: 'Choose satisfied or not', verifiedRequired: 'Choose the verdict',
      done: '{action}: done', returnHint: 'Return only an order outside your duties; the center reviews it.', designatedNoReturn: 'A designated order cannot be returned.',
      uploadFailed: 'Upload of {name} failed', stale: 'Someone else acted on the order; reloaded',
    },
    dispatch: {
      open: 'Dispatch', title: 'Dispatch · report #{id}', lead: 'Lead unit', co: 'Co-handlers', addCo: 'Add co-handler', kind: 'Kind', department: 'Department', unit: 'Street / community',
      pickDept: 'Choose a department', pickUnit: 'Choose a street or community', instructions: 'Instructions', instructionsPh: 'What the unit must do',
      designated: 'Designated (no return)', needLead: 'Choose the lead unit', send: 'Dispatch', done: 'Dispatched', orders: 'Orders and handling', none: 'Not dispatched yet', hint: 'One lead and up to 5 co-handlers.',
    },
    timeline: {
      title: 'Work sheet', at: 'Time', who: 'By', what: 'Step', target: 'Unit', note: 'Note', due: 'Due', met: 'On time', late: 'Late', empty: 'No steps yet', newDue: 'New deadline {d}',
    },
    stats: {
      title: 'Report statistics', from: 'From', to: 'To', by: 'By', byNames: { department: 'Department', street: 'Street', month: 'Month', category: 'Category', channel: 'Channel' },
      export: 'Export XLSX', name: 'Name', received: 'Orders', acceptRate: 'Accepted on time', handleRate: 'Handled on time', returnRate: 'Return rate', extensions: 'Extensions', satisfaction: 'Satisfaction',
      overdue: 'Overdue now', total: 'Total', chart: 'Rates', counts: 'Orders and overdue', exported: 'Exported {name}', empty: 'No orders in the period',
    },
    card: {
      title: 'Reports and orders (this month)', received: 'Orders this month', triage: 'Awaiting triage', overdue: 'Overdue orders', acceptRate: 'Accepted on time', handleRate: 'Handled on time', more: 'Statistics',
    },
    child: { title: 'Orders', empty: 'No orders about this child' },
  },
}
