// Case conference strings (English).
export default {
  menu: { cnfList: 'Case conferences', cnfNew: 'Convene', cnfDetail: 'Conference', cnfEdit: 'Edit conference', cnfTasks: 'Conference decisions', cnfTask: 'Conference decision' },
  cnf: {
    status: { planned: 'Planned', held: 'Held', closed: 'Closed', cancelled: 'Cancelled' },
    list: { title: 'Case conferences', new: 'Convene', child: 'Child', reason: 'Reason', when: 'When', convener: 'Convened by', status: 'Status', empty: 'No conferences', all: 'All' },
    form: {
      title: 'Convene a case conference', editTitle: 'Edit the conference', child: 'Child', childPh: 'Search by name', reason: 'Reason', reasonNote: 'Reason note', name: 'Title', namePh: 'Default: name + case conference',
      when: 'When', online: 'Online', place: 'Place', placePh: 'Meeting room or online meeting id', agenda: 'Agenda', participants: 'Participants', addParticipant: 'Add participant',
      kind: { agency: 'Department / social organisation', unit: 'Street / community', person: 'Named person' }, pickAgency: 'Pick an agency', pickUnit: 'Pick a street or community', personName: 'Name', note: 'Note (e.g. role)',
      submit: 'Convene', save: 'Save', caseId: 'Case id (optional)', needChild: 'Pick the child',
    },
    detail: {
      basics: 'Arrangements', agenda: 'Agenda', participants: 'Participants', attended: 'Present', absent: 'Absent', unknown: 'Not recorded', materials: 'Materials', noMaterials: 'No materials', upload: 'Upload (image or PDF)',
      record: 'Record', discussion: 'Discussion', decisions: 'Decisions', followups: 'Open decisions of earlier conferences', noFollowups: 'None', noDecisions: 'No decisions',
      recordTitle: 'Record the minutes', amendTitle: 'Amend the minutes, add decisions', addDecision: 'Add decision', content: 'Decision', owner: 'Owner', due: 'Due', result: 'Result',
      ownerKind: { agency: 'Department', unit: 'Street / community' }, save: 'Save minutes', print: 'Print minutes', docx: 'Download Word', edit: 'Edit', cancel: 'Cancel', close: 'Close', cancelNote: 'Reason',
      closeConfirm: 'Every decision is done. Close the conference?', done: 'Done', open: 'Open', overdue: 'Overdue', complete: 'Complete', heldAt: 'Held at', child: 'Child file',
    },
    task: { title: 'Conference decision', mine: 'My decisions', conference: 'Conference', resultPh: 'What was done, the child now, next steps', submit: 'Submit the result', doneAt: 'Done at', empty: 'No decisions for your unit' },
    child: { tab: 'Conferences', empty: 'No conferences', convene: 'Convene' },
    case: { title: 'Case conferences', convene: 'Convene from this case', empty: 'No conferences for this case', others: 'The child has {n} more conference(s) not linked to this case (child file, Conferences)', link: 'Case', caseNo: 'Case #{id}', pick: 'Case (optional)', none: 'No case' },
    print: { title: 'Case conference minutes', number: 'Conference no. {id}', recorder: 'Recorded by', chair: 'Chaired by' },
  },
}
