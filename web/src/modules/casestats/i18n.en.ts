// Case statistics strings (en).
export default {
  menu: { cstStats: 'Case statistics' },
  cst: {
    title: 'Case statistics', from: 'From', to: 'To', export: 'Export Excel', exported: 'Exported {name}', empty: 'No data', unit: 'Unit', total: 'Total',
    hint: 'Columns marked "now" are the current state; the others count the period chosen.',
    chart: 'Open cases by risk grade', byGrade: 'Visits by risk grade (total)', ungraded: 'Ungraded', grade: 'Risk grade',
    g: {
      cases: 'Cases', open: 'Open now', opened: 'Opened', closed: 'Closed',
      assess: 'Assessments', done: 'Done', due: 'Due', onTime: 'On time', rate: 'On-time rate', overdue: 'Overdue now', open2: 'Pending now',
      plans: 'Plans and services', approved: 'Plans approved', inForce: 'In force', groups: 'Groups', records: 'Case sessions', sessions: 'Group sessions',
      visits: 'Visits', vDue: 'Due', vDone: 'Done', vOnTime: 'On time', vOverdue: 'Overdue now',
      conf: 'Conferences', held: 'Held', made: 'Decisions', decDone: 'Done', decOverdue: 'Overdue now',
      guard: 'Guardianship', temporary: 'Temporary', returned: 'Returned', longTerm: 'Long-term',
    },
    card: { title: 'Cases', more: 'Case statistics', open: 'Open cases', visitsOverdue: 'Visits overdue', assessDue: 'Assessments pending', assessOverdue: 'Assessments overdue' },
  },
}
