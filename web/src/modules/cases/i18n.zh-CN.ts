// 个案 (cases) texts, zh-CN first.
export default {
  menu: { cases: '个案管理', caseDetail: '个案', assessment: '评估', compare: '评估对比' },
  cases: {
    title: '个案管理',
    no: '编号', child: '儿童', unit: '社区', worker: '社工', status: '状态', grade: '风险等级', opened: '接案时间', source: '来源', reason: '接案原因',
    filterStatus: '状态', filterGrade: '风险等级', mine: '我负责的', search: '搜索儿童姓名', empty: '暂无个案',
    statuses: { intake: '接案', assessing: '评估', planning: '计划', intervening: '介入', reviewing: '回顾评估', closed: '结案' },
    sources: { roll: '在册儿童', report: '发现报告', decision: '社工接案' },
    actions: { assess: '开始评估', plan: '进入计划', intervene: '开始介入', review: '回顾评估', reassess: '重新评估', close: '结案', reopen: '重新开案', assign: '指派社工' },
    noteRequired: '请填写原因', note: '说明', closeReason: '结案原因', reopenReason: '重新开案原因',
    timeline: '全程记录', assessments: '评估记录', newAssessment: '新建评估', pickForm: '选择评估表', unassigned: '未指派',
    open: '接案', openTitle: '接案(开个案)', openReason: '接案原因', openOk: '已接案', workerId: '社工账号ID', assignPick: '选择社工或儿童主任', noWorkers: '本街道、社区暂无可指派的社工或儿童主任', workerRole: { social_worker: '社工', child_director: '儿童主任' },
    childTab: '个案', current: '当前个案', none: '该儿童目前没有未结案的个案', history: '历史个案', gradeHistory: '风险等级记录',
    compare: '对比所选两次评估', compareHint: '勾选同类的两次评估进行对比', action: '操作', view: '查看', fill: '填写',
    event: { open: '接案', assign: '指派社工' },
  },
  assess: {
    draft: '草稿', completed: '已完成', kinds: { risk: '风险评估', needs: '需求评估', guardianship: '监护评估' },
    save: '保存草稿', complete: '完成评估', completeConfirm: '完成后评估不可修改，确定完成吗？', saved: '已保存', done: '评估已完成',
    score: '得分', grade: '评估结果', needs: '需求', levels: { l0: '无', l1: '轻度', l2: '中度', l3: '高度' }, yes: '是', no: '否',
    required: '必答', assessor: '评估人', completedAt: '完成时间', form: '评估表', version: '版本', immutable: '已完成的评估不可修改',
    compareTitle: '评估对比', question: '题目', a: '较早', b: '较新', changed: '有变化', note: '评估说明', backToCase: '返回个案',
  },
}
