// Visits (走访) strings (zh-CN). Codes follow docs/API.md "Visits".
export default {
  menu: { visDue: '走访计划', visRecord: '记录走访', visStats: '走访统计' },
  vis: {
    grade: { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色', green: '绿色', none: '未评级' },
    seen: { child: '儿童本人', guardian: '监护人', others: '其他人' },
    place: { home: '家中', school: '学校', community: '社区/村', other: '其他' },
    level: { good: '良好', fair: '一般', poor: '较差' },
    need: { living: '生活', safety: '安全', education: '教育', health: '健康与心理', family: '家庭关系', other: '其他' },
    rule: { grade: '按风险等级', category: '按保障类别', default: '默认频次' },
    due: {
      title: '走访计划', grade: '风险等级', all: '全部', community: '社区', overdueDays: '逾期天数 ≥', within: '未来天数',
      child: '儿童', lastVisit: '上次走访', nextDue: '应走访日期', interval: '频次', every: '每 {n} 天', status: '状态',
      overdue: '逾期 {n} 天', dueToday: '今天到期', dueIn: '{n} 天后到期', record: '记录走访', empty: '暂无应走访儿童',
      onlyOverdue: '只看逾期', capped: '超过 {n} 条，仅显示前 {n} 条',
    },
    form: {
      title: '记录走访', child: '走访对象', when: '走访日期', seen: '见到了谁', seenOthers: '其他人（如班主任、邻居）', where: '走访地点',
      placeNote: '地点说明', childState: '儿童状况', homeState: '家庭环境', guardianCare: '监护照料', note: '说明', needs: '发现的需求',
      needsNote: '需求说明', followUps: '后续跟进', photos: '现场照片', photoHint: 'JPG/PNG/WebP，每张不超过 5 MB，最多 9 张',
      photoType: '照片须为 JPG、PNG 或 WebP 图片', photoSize: '照片不能超过 5 MB', photoCount: '最多 9 张照片',
      save: '保存走访记录', saved: '走访已记录，下次应走访日期：{d}', raiseReport: '发现侵害或风险？发起报告', raiseWarning: '发起预警', schedule: '走访计划',
      nextDue: '应走访日期', notOnRoll: '该儿童不在保障名册，无走访计划', required: '请填写', back: '返回',
    },
    history: {
      title: '走访记录', empty: '暂无走访记录', by: '走访人', late: '逾期走访', onTime: '按时', photos: '照片 {n} 张', record: '记录走访',
      schedule: '走访计划：{rule}，每 {n} 天一次，应于 {d} 前走访', noSchedule: '不在保障名册，无走访计划',
    },
    stats: { title: '走访统计', month: '月份', done: '已走访', onTime: '按时', due: '应走访(未完成)', total: '合计', from: '起', to: '止' },
    tab: '走访',
  },
}
