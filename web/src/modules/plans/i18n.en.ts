// Plans, service records and group services (en).
export default {
  menu: { plnGroups: 'Group services', plnGroup: 'Group', plnApprovals: 'Plan approvals', plnCasePlan: 'Case plan', plnPrint: 'Case plan', plnRecordPrint: 'Service record' },
  pln: {
    section: 'Case plan', none: 'No plan yet', draft: 'Draft a plan', revise: 'Revise (new version)', edit: 'Edit', submit: 'Submit',
    approve: 'Approve', return: 'Return', print: 'Print', docx: 'Download Word', version: 'Version {n}', versions: 'Versions', status: 'Status',
    period: 'Period', summary: 'Summary', reviewNote: 'Review note', needs: 'Assessed needs', noNeeds: 'No needs assessment yet', goals: 'Needs and goals',
    goal: 'Goal', need: 'Need', measure: 'Measure', services: 'Services', serviceType: 'Type', serviceTitle: 'Service', frequency: 'Frequency',
    provider: 'Provider', team: 'The 1+N team', role: 'Role', name: 'Name', org: 'Organisation', phone: 'Phone', reveal: 'Show phones',
    tasks: 'Tasks', task: 'Task', owner: 'Owner unit', ownerRole: 'Owner role', due: 'Due', done: 'Done', markDone: 'Done', overdue: 'Overdue',
    add: 'Add', empty: 'None', editorTitle: 'Case plan · version {n}', newTitle: 'Draft a case plan', saved: 'Saved', submitted: 'Submitted for approval',
    approved: 'Approved; the case moves to intervention', returned: 'Returned', noteRequired: 'Give the reason for returning', notePh: 'Review note (required to return)',
    approvalOff: 'Local rule: a submitted plan takes effect without approval', titleLabel: 'Title',
    roles: { child_director: 'Child director', social_worker: 'Social worker', street_supervisor: 'Street supervisor', district: 'District', grid_worker: 'Grid worker' },
  },
  svc: {
    records: 'Service records', add: 'Record a service', none: 'No service records', servedOn: 'Date', type: 'Type', by: 'Delivered by',
    duration: 'Duration (min)', minutes: '{n} min', content: 'Content', outcome: 'Outcome', attachments: 'Attachments (photos, PDF, 5 MB each)',
    pick: 'Choose files', saved: 'Service recorded', print: 'Print', title: 'Case service record', groups: 'Groups',
  },
  grp: {
    title: 'Group services', add: 'New group', name: 'Name', type: 'Type', goal: 'Goal', facilitator: 'Facilitator', unit: 'Unit', members: 'Members',
    sessions: 'Sessions', status: { open: 'Open', closed: 'Closed' }, addMember: 'Add member', caseId: 'Case no.', session: 'Record a session',
    heldOn: 'Date', topic: 'Topic', content: 'Content', outcome: 'Outcome', attendees: 'Attendees', child: 'Child #{id}', caseNo: 'Case #{id}',
    close: 'Close group', reopen: 'Reopen', none: 'No groups', created: 'Group created',
  },
  appr: { title: 'Plans awaiting approval', none: 'Nothing to approve', case: 'Case', submittedAt: 'Submitted', open: 'Review' },
}
