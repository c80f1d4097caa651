// Dispatch (派单) strings (zh-CN). Codes follow docs/API.md "Dispatch orders".
export default {
  menu: { dspOrders: '派单办理', dspOrder: '派单详情', dspStats: '报告统计' },
  dsp: {
    state: {
      pending_accept: '待签收', handling: '办理中', extension_requested: '延期待审', return_requested: '退单待审', returned: '已退单', feedback: '已反馈', closed: '已办结', open: '未办结',
    },
    action: {
      dispatch: '派单', accept: '签收', return: '退单', request_extension: '申请延期', feedback: '办理反馈', approve_return: '同意退单', reject_return: '驳回退单',
      approve_extension: '批准延期', reject_extension: '驳回延期', revisit: '回访核实', redo: '重办', close: '办结',
    },
    role: { lead: '主办', co: '协办' },
    list: {
      title: '派单办理', centerTitle: '派单督办', overdue: '只看逾期', target: '承办单位', report: '报告', due: '当前时限', dispatchedAt: '派单时间',
      empty: '暂无派单', instructions: '办理要求', round: '第 {n} 轮', handle: '办理', no: '派单号',
    },
    order: {
      title: '派单 #{id}', report: '报告情况', summary: '情况摘要', place: '地点', child: '儿童档案', instructions: '办理要求', designated: '指定承办（不可退单）',
      review: '审核时限', deadlines: '时限', accept: '签收时限', handle: '办理时限', revisit: '回访时限', acceptedAt: '签收时间', feedbackAt: '反馈时间', onTime: '按时', late: '超时',
      attachments: '反馈附件', noAttachments: '无附件', extensionAsked: '申请延期至 {d}', extensions: '已延期 {n} 次', redos: '重办 {n} 次',
      timeline: '工作流转单', noActions: '当前无需您办理', coWait: '协办单位反馈后主办单位才能反馈', openReport: '查看报告', masked: '敏感报告：摘要已隐藏',
      satisfied: '满意', unsatisfied: '不满意', reached: '回访对象',
    },
    act: {
      outcome: '办结结果', outcomePh: '报告的处理结果（不填则以说明为准）', reply: '答复报告人', replyPh: '报告人可见的处理结果（未成年人保护法第十一条）',
      title: '{action} · 派单 #{id}', note: '说明', notePh: {
        accept: '选填', return: '退单理由：说明为何不属于本单位职责', request_extension: '延期理由', feedback: '办理结果：做了什么、儿童现状、后续安排',
        approve_return: '选填', reject_return: '驳回理由', approve_extension: '选填', reject_extension: '驳回理由', revisit: '回访情况', redo: '重办要求', close: '办结情况',
      },
      dueDate: '延期至', dueDateApprove: '批准延期至（不填则按申请）', reached: '回访对象', reachedPh: '如：监护人（电话）、学校班主任',
      satisfied: '是否满意', verified: '核实结果', verifiedYes: '已解决，办结', verifiedNo: '未解决，重办', files: '附件（照片、PDF，每个不超过 5 MB）', pick: '选择文件',
      noteRequired: '请填写说明', dueRequired: '请选择延期日期', reachedRequired: '请填写回访对象', satisfiedRequired: '请选择是否满意', verifiedRequired: '请选择核实结果',
      done: '已{action}', returnHint: '只有不属于本单位职责的派单才能退单，由区中心审核。', designatedNoReturn: '该派单为指定承办，不能退单。',
      uploadFailed: '附件 {name} 上传失败', stale: '派单已被他人处理，已重新加载',
    },
    dispatch: {
      open: '派单', title: '派单 · 报告 #{id}', lead: '主办单位', co: '协办单位', addCo: '添加协办单位', kind: '类型', department: '部门', unit: '街道/社区',
      pickDept: '选择部门', pickUnit: '选择街道或社区', instructions: '办理要求', instructionsPh: '需要承办单位做什么、注意事项', designated: '指定承办（不允许退单）',
      needLead: '请选择主办单位', send: '派单', done: '已派单', orders: '派单与办理', none: '尚未派单', hint: '研判后可派单：主办单位一个，协办单位至多 5 个。',
    },
    timeline: {
      title: '工作流转单', at: '时间', who: '经办', what: '环节', target: '承办单位', note: '说明', due: '时限', met: '按时', late: '超时', empty: '暂无流转记录', newDue: '新时限 {d}',
    },
    stats: {
      title: '报告统计', from: '起', to: '止', by: '统计口径', byNames: { department: '按部门', street: '按街道', month: '按月', category: '按类别', channel: '按渠道' },
      export: '导出 XLSX', name: '名称', received: '派单数', acceptRate: '按时签收率', handleRate: '按时办结率', returnRate: '退单率', extensions: '延期', satisfaction: '回访满意率',
      overdue: '当前逾期', total: '合计', chart: '比率对比', counts: '派单与逾期', exported: '已导出 {name}', empty: '所选期间没有派单',
    },
    card: {
      title: '发现报告与派单（本月）', received: '本月派单', triage: '待研判', overdue: '逾期派单', acceptRate: '按时签收率', handleRate: '按时办结率', more: '查看统计',
    },
    child: { title: '派单', empty: '暂无与该儿童相关的派单' },
  },
}
