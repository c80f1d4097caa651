// Screening strings (en). Rule ids follow config/screening/rules.json.
export default {
  scr: {
    sources: 'Data sources', batches: 'Screening batches', tasks: 'Verification tasks', batch: 'Screening batch', batchDetail: 'Batch detail',
    source: {
      create: 'New data source', name: 'Name', deptType: 'Department', mapping: 'Column mapping', mappingHint: "For each field, enter the column header used in this department's export; leave blank to recognise common headers.",
      createdAt: 'Created', created: 'Data source created', empty: 'No data sources yet', nameRequired: 'Enter a name', deptRequired: 'Choose a department',
      column: 'Column header in the file', none: '(auto)', fromFile: 'Read headers from a sample file',
    },
    upload: {
      title: 'Upload department data', button: 'Upload data', pickSource: 'Data source', pickFile: 'Choose a CSV / XLSX file',
      fileInfo: '{name}: {format}, {charset}, {rows} rows', sample: 'Preview (first {n} rows)', mapping: 'Column mapping (from the source, editable)',
      notMapped: '(unused)', missingRequired: 'Missing required columns: {f}', submit: 'Start screening', uploaded: 'Uploaded {n} records, matching in the background…',
      completeRoster: 'Complete list (全量名单)', completeRosterHint: 'Tick when the file lists all of this department\'s children in the jurisdiction (e.g. a full school-register export); only a complete school register makes school-age registry children missing from it into findings.',
      done: 'Screening done: {n} records, {f} findings', sourceRequired: 'Choose a data source first', noPreview: 'This file cannot be previewed; submit it and the server will recognise the columns.',
      step1: 'Source and file', step2: 'Mapping', step3: 'Screen',
    },
    batchCols: {
      id: 'Batch', file: 'File', source: 'Source', status: 'Status', progress: 'Progress', uploadedBy: 'Uploaded by', createdAt: 'Uploaded',
      records: 'Records screened', matched: 'Matched', review: 'Possible matches', unmatched: 'Unmatched', findings: 'Findings', pending: 'Pending',
      confirmed: 'Confirmed', added: 'Added', exited: 'Exited', rejected: 'Rejected', notFound: 'Cannot find', overdue: 'Overdue tasks',
    },
    statuses: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' },
    stages: { queued: 'Waiting', loading: 'Reading the registry', matching: 'Matching', rules: 'Applying rules', writing: 'Writing findings', done: 'Done', failed: 'Failed' },
    progressOf: '{n} / {total} records', working: 'The server is matching in the background; this page refreshes the progress every second and shows the statistics and findings when done. You may leave and come back from the batch list.',
    completeRoster: 'Complete list',
    units: {
      title: 'Statistics by unit', unit: 'Unit', total: 'Total', unplaced: 'Community unknown', allBatches: 'All batches',
      overdueQueue: 'Overdue tasks', hint: 'Matched records count for the registry child\'s community, unmatched ones for the community in the file or address; click a street for its communities.',
    },
    summary: 'Screening statistics (Yizheng form)', allBatches: 'All batches', chartTitle: 'Findings by rule', noFindings: 'No findings',
    finding: {
      rule: 'Rule', reason: 'Reason', record: 'Department record', child: 'Registry child', community: 'Community', status: 'Verification',
      match: 'Match', line: 'line {n}', absent: 'registry child, not in this list', notInRegistry: 'Not in the registry', allRules: 'All rules', allStatuses: 'All statuses',
    },
    findingStatuses: { open: 'Open', confirmed: 'Confirmed', rejected: 'Rejected', not_found: 'Cannot find' },
    bands: { link: 'Link', review: 'Review', no_link: 'No link' },
    task: {
      mine: 'My tasks', overdue: 'Overdue', all: 'All tasks', open: 'Open', done: 'Done', due: 'Due', overdueTag: 'Overdue',
      record: 'Record outcome', outcome: 'Outcome', note: 'Note', noteRequired: 'Give the reason when rejecting', outcomeRequired: 'Choose the outcome', submit: 'Submit',
      decidedBy: 'Verified by', empty: 'No verification tasks', saved: 'Outcome recorded',
      rollCreated: 'A roll request ({kind}) was created and awaits street review', registerHint: 'This child is not in the registry yet; create a file:',
      createChild: 'New child file', openRoll: 'My roll requests', nothing: 'Recorded; nothing else to do', result: 'Result',
      stale: 'The task was handled by someone else; list refreshed',
    },
    outcomes: { confirmed: 'Confirmed', rejected: 'Rejected', not_found: 'Cannot find' },
    depts: {
      education: 'Education', police: 'Police', health: 'Health', medical_insurance: 'Medical insurance', disability: 'Disabled persons federation',
      women: "Women's federation", youth_league: 'Youth league', procuratorate: 'Procuratorate', court: 'Court', justice: 'Justice', hrss: 'HR & social security',
      civil_affairs: 'Civil affairs',
    },
    fields: {
      name: 'Name', sex: 'Sex', birth_date: 'Birth date', id_number: 'ID / student number', father_name: 'Father', mother_name: 'Mother',
      guardian_name: 'Guardian', guardian_phone: 'Guardian phone', hukou_address: 'Hukou address', hukou_region_code: 'Hukou region code',
      residence_address: 'Residence', community: 'Community', school_name: 'School', disability_type: 'Disability type', disability_grade: 'Disability grade',
      assistance: 'Assistance', father_state: 'Father state', mother_state: 'Mother state',
    },
    rules: {
      same_child_review: 'Is this the same child?', over_age: 'Child on the roll is over age', disability_not_marked: 'Grade 1-2 disability not marked',
      assistance_not_on_roll: 'Dibao/tekun child not on the roll', parent_detained_or_dead: 'Parent detained or dead',
      new_migrant_child: 'New migrant child', new_registration: 'Child not in the registry', absent_from_school_register: 'Not in the school register (dropout or moved)',
    },
  },
}
