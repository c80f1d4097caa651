// Screening (排查核查) strings (zh-CN). Rule ids follow config/screening/rules.json.
export default {
  scr: {
    sources: '数据源', batches: '排查批次', tasks: '核查任务', batch: '排查批次', batchDetail: '批次详情',
    source: {
      create: '新建数据源', name: '名称', deptType: '部门类型', mapping: '列对应', mappingHint: '为每个字段填写该部门导出文件中的列名；留空则按常见列名自动识别。',
      createdAt: '创建时间', created: '数据源已创建', empty: '暂无数据源，请先新建', nameRequired: '请填写名称', deptRequired: '请选择部门类型',
      column: '文件中的列名', none: '（自动识别）', fromFile: '从样例文件读取列名',
    },
    upload: {
      title: '上传部门数据', button: '上传数据', pickSource: '数据源', pickFile: '选择 CSV / XLSX 文件',
      fileInfo: '{name}：{format}，{charset}，共 {rows} 行', sample: '数据预览（前 {n} 行）', mapping: '列对应（来自数据源，可修改）',
      notMapped: '（不使用）', missingRequired: '缺少必填列：{f}', submit: '开始排查', uploaded: '已上传 {n} 条记录，正在后台比对…',
      completeRoster: '全量名单', completeRosterHint: '勾选表示文件包含本辖区该部门的全部儿童（如学籍全量导出）；仅全量学籍名单会对“名册中有、名单中无”的学龄儿童生成线索。',
      done: '排查完成：{n} 条记录，{f} 条线索', sourceRequired: '请先选择数据源', noPreview: '无法预览该文件，可直接提交由服务器识别列。',
      step1: '选择数据源和文件', step2: '列对应', step3: '排查',
    },
    batchCols: {
      id: '批次', file: '文件', source: '数据源', status: '状态', progress: '进度', uploadedBy: '上传人', createdAt: '上传时间',
      records: '排查记录', matched: '匹配', review: '待确认匹配', unmatched: '未匹配', findings: '线索', pending: '待核查',
      confirmed: '核实属实', added: '新增', exited: '退出', rejected: '核实不属实', notFound: '查无此人', overdue: '逾期任务',
    },
    statuses: { queued: '排队中', running: '比对中', done: '已完成', failed: '失败' },
    stages: { queued: '排队等待', loading: '读取名册', matching: '比对名册', rules: '执行排查规则', writing: '写入线索', done: '已完成', failed: '失败' },
    progressOf: '{n} / {total} 条', working: '服务器正在后台比对，本页每秒刷新进度；完成后显示统计和线索。可离开本页，稍后在批次列表查看。',
    completeRoster: '全量名单',
    units: {
      title: '按单位统计', unit: '单位', total: '合计', unplaced: '未能定位社区', allBatches: '全部批次',
      overdueQueue: '逾期核查任务', hint: '匹配记录按名册儿童所在社区计，未匹配记录按文件中的社区或地址计；点击街道可查看各社区。',
    },
    summary: '排查统计（仪征口径）', allBatches: '全部批次合计', chartTitle: '各规则线索数', noFindings: '暂无线索',
    finding: {
      rule: '规则', reason: '线索理由', record: '部门记录', child: '名册儿童', community: '社区', status: '核查状态',
      match: '匹配', line: '第 {n} 行', absent: '名册儿童，本批名单中没有', notInRegistry: '名册中无此儿童', allRules: '全部规则', allStatuses: '全部状态',
    },
    findingStatuses: { open: '待核查', confirmed: '属实', rejected: '不属实', not_found: '查无此人' },
    bands: { link: '确定匹配', review: '疑似匹配', no_link: '未匹配' },
    task: {
      mine: '我的核查任务', overdue: '逾期任务', all: '全部任务', open: '待核查', done: '已核查', due: '期限', overdueTag: '已逾期',
      record: '登记核查结果', outcome: '核查结果', note: '核查说明', noteRequired: '核查不属实时请填写原因', outcomeRequired: '请选择核查结果', submit: '提交',
      decidedBy: '核查人', empty: '暂无核查任务', saved: '核查结果已登记',
      rollCreated: '已自动发起增减员申请（{kind}），等待街道审核', registerHint: '该儿童尚未建档，请为其新建儿童档案：',
      createChild: '新建儿童档案', openRoll: '查看我的申请', nothing: '已记录，无需进一步操作', result: '核查结果',
      stale: '任务已被他人处理，已刷新列表',
    },
    outcomes: { confirmed: '属实', rejected: '不属实', not_found: '查无此人' },
    depts: {
      education: '教育', police: '公安', health: '卫健', medical_insurance: '医保', disability: '残联', women: '妇联',
      youth_league: '团委', procuratorate: '检察院', court: '法院', justice: '司法', hrss: '人社', civil_affairs: '民政',
    },
    fields: {
      name: '姓名', sex: '性别', birth_date: '出生日期', id_number: '身份证号/学籍号', father_name: '父亲姓名', mother_name: '母亲姓名',
      guardian_name: '监护人姓名', guardian_phone: '监护人电话', hukou_address: '户籍地址', hukou_region_code: '户籍地区划代码',
      residence_address: '现住址', community: '社区', school_name: '学校', disability_type: '残疾类别', disability_grade: '残疾等级',
      assistance: '救助类型', father_state: '父亲状态', mother_state: '母亲状态',
    },
    rules: {
      same_child_review: '是否同一儿童?', over_age: '在册儿童已满18周岁', disability_not_marked: '一二级残疾未标记',
      assistance_not_on_roll: '低保/特困家庭儿童未纳入保障', parent_detained_or_dead: '父母服刑在押或死亡',
      new_migrant_child: '新流入儿童', new_registration: '未建档儿童', absent_from_school_register: '不在学籍名单(疑似辍学或迁出)',
    },
  },
}
