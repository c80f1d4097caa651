// Visits strings (en).
export default {
  menu: { visDue: 'Visit plan', visRecord: 'Record a visit', visStats: 'Visit statistics' },
  vis: {
    grade: { red: 'Red', orange: 'Orange', yellow: 'Yellow', blue: 'Blue', green: 'Green', none: 'Not graded' },
    seen: { child: 'The child', guardian: 'Guardian', others: 'Others' },
    place: { home: 'Home', school: 'School', community: 'Community', other: 'Other' },
    level: { good: 'Good', fair: 'Fair', poor: 'Poor' },
    need: { living: 'Living', safety: 'Safety', education: 'Education', health: 'Health & mind', family: 'Family', other: 'Other' },
    rule: { grade: 'By risk grade', category: 'By category', default: 'Default' },
    due: {
      title: 'Visit plan', grade: 'Grade', all: 'All', community: 'Community', overdueDays: 'Overdue days ≥', within: 'Days ahead',
      child: 'Child', lastVisit: 'Last visit', nextDue: 'Due', interval: 'Frequency', every: 'every {n} days', status: 'Status',
      overdue: '{n} days overdue', dueToday: 'due today', dueIn: 'due in {n} days', record: 'Record', empty: 'No visits due',
      onlyOverdue: 'Overdue only', capped: 'More than {n}; the first {n} are shown',
    },
    form: {
      title: 'Record a visit', child: 'Child', when: 'Date', seen: 'Who was seen', seenOthers: 'Others (teacher, neighbour)', where: 'Where',
      placeNote: 'Place note', childState: "Child's state", homeState: 'Home', guardianCare: "Guardian's care", note: 'Note', needs: 'Needs found',
      needsNote: 'Needs note', followUps: 'Follow-ups', photos: 'Photos', photoHint: 'JPG/PNG/WebP, at most 5 MB each, at most 9',
      photoType: 'Photos must be JPG, PNG or WebP', photoSize: 'A photo may be at most 5 MB', photoCount: 'At most 9 photos',
      save: 'Save the visit', saved: 'Visit recorded; next due {d}', raiseReport: 'Harm or risk found? Raise a report', raiseWarning: 'Raise a warning', schedule: 'Schedule',
      nextDue: 'Due', notOnRoll: 'Not on the roll: no visit schedule', required: 'Required', back: 'Back',
    },
    history: {
      title: 'Visits', empty: 'No visits yet', by: 'Visitor', late: 'Late', onTime: 'On time', photos: '{n} photos', record: 'Record a visit',
      schedule: 'Schedule: {rule}, every {n} days, next due {d}', noSchedule: 'Not on the roll: no schedule',
    },
    stats: { title: 'Visit statistics', month: 'Month', done: 'Done', onTime: 'On time', due: 'Due (open)', total: 'Total', from: 'From', to: 'To' },
    tab: 'Visits',
  },
}
