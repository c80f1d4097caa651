// Case statistics (个案统计) strings (zh-CN).
export default {
  menu: { cstStats: '个案统计' },
  cst: {
    title: '个案统计', from: '开始日期', to: '结束日期', export: '导出Excel', exported: '已导出 {name}', empty: '暂无数据', unit: '单位', total: '合计',
    hint: '“现在”各列为当前状况；其余各列统计所选期间。',
    chart: '在办个案风险等级分布', byGrade: '走访（按风险等级，合计）', ungraded: '未评级', grade: '风险等级',
    g: {
      cases: '个案', open: '在办', opened: '新接案', closed: '结案',
      assess: '评估', done: '完成', due: '到期', onTime: '按时', rate: '按时率', overdue: '现逾期', open2: '现待评',
      plans: '计划与服务', approved: '批准计划', inForce: '执行中', groups: '小组', records: '个案服务', sessions: '小组活动',
      visits: '走访', vDue: '应访', vDone: '已访', vOnTime: '按时', vOverdue: '现逾期',
      conf: '会商', held: '召开', made: '决定', decDone: '已落实', decOverdue: '现逾期',
      guard: '监护干预', temporary: '临时监护', returned: '返家', longTerm: '长期监护',
    },
    card: { title: '个案概况', more: '个案统计', open: '在办个案', visitsOverdue: '走访逾期', assessDue: '待评估', assessOverdue: '评估逾期' },
  },
}
