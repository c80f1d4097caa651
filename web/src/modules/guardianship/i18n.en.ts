// Guardianship interventions texts, English.
export default {
  menu: { guardianship: 'Guardianship', guardianshipDetail: 'Guardianship intervention' },
  guard: {
    title: 'Guardianship interventions', childTab: 'Guardianship', no: 'No.', child: 'Child', unit: 'Community', kind: 'Kind', status: 'Status', proposed: 'Proposed',
    search: 'Search child name', empty: 'No interventions', openOnly: 'Open only', none: 'No guardianship intervention for this child', current: 'Current',
    kinds: { temporary: 'Temporary', long_term: 'Long-term' },
    statuses: { proposed: 'Awaiting approval', approved: 'Approved, to place', placed: 'Placed', active: 'Long-term', returned: 'Returned home', adopted: 'Adopted', ended: 'Ended', rejected: 'Rejected' },
    actions: { approve: 'Approve', reject: 'Reject', place: 'Place', check: 'Record a placement check', return_assessment: 'Link return assessment', return: 'Return home', convert: 'Convert to long-term', adopt: 'End by adoption', end: 'End the guardianship' },
    event: { propose: 'Proposed', approve: 'Approved', reject: 'Rejected', place: 'Placed', check: 'Placement check', return_assessment: 'Return assessment linked', return: 'Returned home', convert: 'Converted to long-term', adopt: 'Adopted', end: 'Ended' },
    propose: 'Propose', proposeTitle: 'Propose a guardianship intervention', grounds: 'Grounds', groundsT: 'Temporary guardianship grounds (Art 92)', groundsL: 'Long-term guardianship grounds (Art 94)',
    reason: 'Situation', decisionNote: 'Decision note', note: 'Note', noteRequired: 'A note is required',
    placement: 'Placement', placementKind: 'Placement kind', placementName: 'Placed with', placementContact: 'Contact', placementPhone: 'Phone', placementAddress: 'Address', placedAt: 'Placed on', limitAt: 'Time limit',
    checks: 'Placement checks', checkedAt: 'Checked on', childState: "Child's state", notes: 'Notes', checker: 'By', nextCheck: 'Every {n} days',
    returnAssessment: 'Return assessment (guardianship capacity)', noAssessment: 'No assessment linked', passes: 'Passes', fails: 'Does not pass', superseded: 'A later assessment #{id} exists: link the latest', beforePlacement: 'Must be completed after the placement',
    pickAssessment: 'Pick a completed guardianship assessment', newAssessment: 'New guardianship assessment', returnNote: 'Return note', returnBlocked: 'Cannot return home',
    convertGrounds: 'Long-term grounds', endKind: 'How it ends', endKinds: { adopted: 'Adoption (Art 95)', ended: 'Other end' }, endedAt: 'Ended on',
    timeline: 'Timeline', overview: 'Overview', decided: 'Decided', returnedAt: 'Returned', endNote: 'End note', restricted: 'Guardianship data is restricted; every read is recorded',
    submit: 'Submit', saved: 'Saved', today: 'Today',
  },
}
