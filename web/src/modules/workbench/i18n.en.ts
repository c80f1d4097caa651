// Workbench strings (en).
export default {
  menu: { dashboard: 'Dashboard' },
  dashboard: {
    welcome: 'Welcome, {name}', today: 'Today is {date}', jurisdiction: 'Jurisdiction', role: 'Role', orgLevel: 'Level',
    subUnits: 'Sub-units', users: 'Users', agencies: 'Agencies', quick: 'Shortcuts',
    notice: 'Notice',
    noticeText: "Children's data is sensitive personal information: access only what you need. Every read and change is audited.",
  },
  wb: {
    todoTitle: 'To-dos today', allTodos: 'All to-dos', dueToday: 'Due today', overdue: 'Overdue', openTotal: 'Open',
    noTodo: 'Nothing to do — well done', numbersTitle: 'Jurisdiction · {unit}', childrenTotal: 'Children on file', onRoll: 'On the roll',
    enteredMonth: 'Entered this month', exitedMonth: 'Exited this month', openTasks: 'Open verification tasks', byCategory: 'By category', byUnit: 'By unit below',
    none: 'No data', trendTitle: 'Trend', entered: 'Entered', exited: 'Exited', recentTitle: 'Recently viewed files',
    noRecent: 'No files viewed recently', quick: 'Quick actions', unavailable: 'Workbench numbers are not available (the server has no workbench API yet)',
    act: {
      findChild: 'Find a child', newChild: 'New child file', tasks: 'Verification tasks', rollMine: 'My roll proposals', rollReview: 'Review roll requests',
      rollConfirm: 'Confirm roll requests', batches: 'Data matching', units: 'Screening by unit',
    },
  },
}
