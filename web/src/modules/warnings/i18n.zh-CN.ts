// Early warnings (预警) strings (zh-CN). Codes follow docs/API.md "Early warnings".
export default {
  menu: { warnings: '预警', warning: '预警详情' },
  wrn: {
    tab: '预警',
    severity: { high: '高', medium: '中', low: '低' },
    status: { open: '待处置', handled: '已处置', false_alarm: '误报', cleared: '条件已消除', closed: '已关闭' },
    list: {
      title: '预警', rule: '预警规则', allRules: '全部规则', status: '状态', all: '全部', child: '儿童', reason: '预警原因',
      raisedAt: '预警时间', severity: '级别', empty: '暂无预警', open: '查看', unit: '社区',
    },
    detail: {
      title: '预警详情', rule: '规则', child: '儿童', reason: '原因', raisedAt: '预警时间', raisedBy: '发起人', system: '系统（规则评估）',
      status: '状态', closedAt: '关闭时间', closedBy: '关闭人', note: '处置说明', handle: '处置', outcome: '处置结果',
      handled: '已处置', falseAlarm: '误报', notePh: '写明核实情况和采取的措施（至少 2 个字）', submit: '提交', done: '已提交',
      back: '返回列表', childFile: '查看儿童档案',
    },
    child: { empty: '暂无预警', raise: '发起预警', reasonPh: '写明发现的情况（如走访中看到的风险）', raised: '已发起预警', exists: '该儿童已有同类未处置预警' },
    card: { title: '预警', open: '待处置预警', more: '查看全部', none: '暂无待处置预警' },
  },
}
