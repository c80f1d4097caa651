// 工作台 strings (zh-CN).
export default {
  menu: { dashboard: '工作台' },
  dashboard: {
    welcome: '欢迎您，{name}', today: '今天是 {date}', jurisdiction: '管辖范围', role: '角色', orgLevel: '层级',
    subUnits: '下级单位', users: '用户数', agencies: '机构与成员单位', quick: '快捷入口', notice: '工作提示',
    noticeText: '儿童信息属于敏感个人信息，请遵循最小必要原则访问，所有查看与修改均记入审计日志。',
  },
  wb: {
    todoTitle: '今日待办', allTodos: '全部待办', dueToday: '今天到期', overdue: '已逾期', openTotal: '待办总数',
    noTodo: '没有待办事项，辛苦了', numbersTitle: '辖区概况 · {unit}', childrenTotal: '建档儿童', onRoll: '在册儿童',
    enteredMonth: '本月新增', exitedMonth: '本月退出', openTasks: '待核查任务', byCategory: '按类别', byUnit: '按下级单位',
    none: '暂无数据', trendTitle: '近期趋势', entered: '新增', exited: '退出', recentTitle: '最近查看的档案',
    noRecent: '最近没有查看过档案', quick: '快捷操作', unavailable: '工作台统计暂不可用（服务器尚未提供工作台接口）',
    act: {
      findChild: '查找儿童', newChild: '新建儿童档案', tasks: '核查任务', rollMine: '我的增减员申请', rollReview: '审核增减员',
      rollConfirm: '确认增减员', batches: '数据比对', units: '排查统计',
    },
  },
}
