// 监护干预 (guardianship) texts, zh-CN first.
export default {
  menu: { guardianship: '监护干预', guardianshipDetail: '监护干预' },
  guard: {
    title: '监护干预', childTab: '监护干预', no: '编号', child: '儿童', unit: '社区', kind: '类型', status: '状态', proposed: '提出时间',
    search: '搜索儿童姓名', empty: '暂无监护干预', openOnly: '仅进行中', none: '该儿童没有监护干预记录', current: '当前',
    kinds: { temporary: '临时监护', long_term: '长期监护' },
    statuses: { proposed: '待审批', approved: '已批准待安置', placed: '安置中', active: '长期监护中', returned: '已返回家庭', adopted: '已被收养', ended: '已终止', rejected: '未批准' },
    actions: { approve: '批准', reject: '不予批准', place: '安置', check: '记录安置回访', return_assessment: '关联返家评估', return: '返回家庭', convert: '转为长期监护', adopt: '收养终止', end: '终止监护' },
    event: { propose: '提出监护干预', approve: '批准', reject: '不予批准', place: '安置', check: '安置回访', return_assessment: '关联返家评估', return: '返回家庭', convert: '转为长期监护', adopt: '收养终止', end: '终止' },
    propose: '提出监护干预', proposeTitle: '提出监护干预', grounds: '法定情形', groundsT: '临时监护情形(未成年人保护法第九十二条)', groundsL: '长期监护情形(第九十四条)',
    reason: '情况说明', decisionNote: '审批意见', note: '说明', noteRequired: '请填写说明',
    placement: '安置', placementKind: '安置方式', placementName: '安置对象/机构', placementContact: '联系人', placementPhone: '联系电话', placementAddress: '地址', placedAt: '安置日期', limitAt: '期限届满',
    checks: '安置回访', checkedAt: '回访日期', childState: '儿童状况', notes: '情况记录', checker: '回访人', nextCheck: '每 {n} 天回访一次',
    returnAssessment: '返家评估(家庭监护能力评估)', noAssessment: '尚未关联评估', passes: '评估通过', fails: '评估未通过', superseded: '已有更新的评估 #{id}，请关联最新评估', beforePlacement: '须为安置后完成的评估',
    pickAssessment: '选择已完成的家庭监护能力评估', newAssessment: '新建家庭监护能力评估', returnNote: '返家说明', returnBlocked: '不能返回家庭',
    convertGrounds: '长期监护情形', endKind: '终止方式', endKinds: { adopted: '依法收养(第九十五条)', ended: '其他终止' }, endedAt: '终止日期',
    timeline: '全程记录', overview: '基本情况', decided: '审批时间', returnedAt: '返家时间', endNote: '终止说明', restricted: '监护干预信息仅限授权人员查看，查看均有记录',
    submit: '提交', saved: '已保存', today: '今天',
  },
}
