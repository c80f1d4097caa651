// 我的待办 / 督办 / 通知 strings (zh-CN).
export default {
  menu: { inbox: '我的待办', supervise: '督办' },
  work: {
    inboxTitle: '我的待办', superviseTitle: '督办：辖区内逾期事项', inboxHint: '按办理期限排序，先办快到期的',
    superviseHint: '本单位及下级单位已逾期、尚未办结的事项', unitFilter: '按单位筛选', kind: '类型', item: '事项',
    subject: '对象', unit: '承办单位', due: '办理期限', handle: '去办理', escalationCol: '督办级别', levels: { l1: '已预警', l2: '督办', l3: '区级督办' },
    empty: '暂无待办事项', unavailable: '待办服务暂不可用（服务器尚未提供待办接口）', overdueN: '逾期 {n}',
  },
  notify: {
    title: '消息通知', unread: '{n} 条未读', readAll: '全部已读', empty: '暂无消息', unavailable: '消息服务暂不可用',
  },
}
