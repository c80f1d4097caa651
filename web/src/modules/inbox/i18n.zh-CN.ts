// 我的待办 / 督办 / 通知 strings (zh-CN).
export default {
  menu: { inbox: '我的待办', supervise: '督办' },
  work: {
    inboxTitle: '我的待办', superviseTitle: '督办：辖区内逾期事项', inboxHint: '按办理期限排序，先办快到期的',
    superviseHint: '本单位及下级单位已逾期、尚未办结的事项', capped: '超过 {n} 条，按期限排在前面的 {n} 条计入总数', unitFilter: '按单位筛选', kind: '类型', item: '事项',
    subject: '对象', unit: '承办单位', due: '办理期限', handle: '去办理', escalationCol: '督办级别', levels: { l1: '已预警', l2: '督办', l3: '区级督办' },
    empty: '暂无待办事项', unavailable: '待办服务暂不可用（服务器尚未提供待办接口）', overdueN: '逾期 {n}',
    record: '办理记录', extend: '申请延期', decide: '批准/驳回', extRequested: '延期审批中', viewOverdue: '逾期事项', viewExtensions: '待审批延期', extensionsHint: '本单位及下级单位申请延期、等待批准或驳回的事项（含未逾期）',
    ext: {
      title: '待办事项', state: '状态', openSubject: '打开办理页面 →', history: '办理记录', started: '开始办理',
      requestTitle: '申请延期', reason: '延期原因', reasonHint: '说明为什么需要延期（必填）', wanted: '希望延至', wantedHint: '选择日期（可不填）',
      submit: '提交延期申请', decideTitle: '延期申请审批', newDue: '新的办理期限', opinion: '审批意见', opinionHint: '驳回时必填',
      approve: '批准延期', reject: '驳回', until: '至 {d}',
      states: { open: '办理中', extension_requested: '延期审批中', closed: '已办结' },
      actions: { request_extension: '申请延期', approve_extension: '批准延期', reject_extension: '驳回延期申请', close: '办结' },
      steps: { warn: '到期预警', overdue: '已逾期', supervise: '逾期督办', district: '区级督办' },
      done: { request_extension: '已提交延期申请', approve_extension: '已批准延期', reject_extension: '已驳回延期申请' },
    },
  },
  notify: {
    title: '消息通知', unread: '{n} 条未读', readAll: '全部已读', empty: '暂无消息', unavailable: '消息服务暂不可用',
  },
}
