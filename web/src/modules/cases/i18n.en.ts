// Cases texts, English.
export default {
  menu: { cases: 'Cases', caseDetail: 'Case', assessment: 'Assessment', compare: 'Compare assessments' },
  cases: {
    title: 'Cases',
    no: 'No.', child: 'Child', unit: 'Community', worker: 'Worker', status: 'Status', grade: 'Risk grade', opened: 'Opened', source: 'Source', reason: 'Reason',
    filterStatus: 'Status', filterGrade: 'Grade', mine: 'Mine', search: 'Search child name', empty: 'No cases',
    statuses: { intake: 'Intake', assessing: 'Assessing', planning: 'Planning', intervening: 'Intervening', reviewing: 'Reviewing', closed: 'Closed' },
    sources: { roll: 'On the roll', report: 'Report', decision: 'Worker decision' },
    actions: { assess: 'Start assessment', plan: 'To planning', intervene: 'Start intervention', review: 'Review', reassess: 'Reassess', close: 'Close', reopen: 'Reopen', assign: 'Assign worker' },
    noteRequired: 'A reason is required', note: 'Note', closeReason: 'Closing reason', reopenReason: 'Reason to reopen',
    timeline: 'Timeline', assessments: 'Assessments', newAssessment: 'New assessment', pickForm: 'Choose a form', unassigned: 'Unassigned',
    open: 'Open case', openTitle: 'Open a case', openReason: 'Reason', openOk: 'Case opened', workerId: 'Worker user id', assignPick: 'Choose a social worker or child director', noWorkers: 'No social worker or child director in the street or community', workerRole: { social_worker: 'Social worker', child_director: 'Child director' },
    childTab: 'Cases', current: 'Current case', none: 'No open case for this child', history: 'Earlier cases', gradeHistory: 'Grade history',
    compare: 'Compare the two selected', compareHint: 'Tick two assessments of one kind to compare', action: 'Action', view: 'View', fill: 'Fill in',
    event: { open: 'Opened', assign: 'Assigned' },
  },
  assess: {
    draft: 'Draft', completed: 'Completed', kinds: { risk: 'Risk', needs: 'Needs', guardianship: 'Guardianship' },
    save: 'Save draft', complete: 'Complete', completeConfirm: 'A completed assessment cannot be changed. Complete it?', saved: 'Saved', done: 'Assessment completed',
    score: 'Score', grade: 'Result', needs: 'Needs', levels: { l0: 'None', l1: 'Mild', l2: 'Moderate', l3: 'High' }, yes: 'Yes', no: 'No',
    required: 'Required', assessor: 'Assessor', completedAt: 'Completed', form: 'Form', version: 'Version', immutable: 'A completed assessment cannot be changed',
    compareTitle: 'Compare assessments', question: 'Question', a: 'Earlier', b: 'Later', changed: 'Changed', note: 'Notes', backToCase: 'Back to the case',
  },
}
