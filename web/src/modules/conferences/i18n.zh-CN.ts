// Case conference (个案会商) strings (zh-CN).
export default {
  menu: { cnfList: '个案会商', cnfNew: '召集会商', cnfDetail: '会商详情', cnfEdit: '修改会商', cnfTasks: '会商决定事项', cnfTask: '会商决定事项' },
  cnf: {
    status: { planned: '待召开', held: '已召开', closed: '已办结', cancelled: '已取消' },
    list: { title: '个案会商', new: '召集会商', child: '会商对象', reason: '启动事由', when: '会商时间', convener: '召集单位', status: '状态', empty: '暂无会商', all: '全部' },
    form: {
      title: '召集个案会商', editTitle: '修改会商安排', child: '会商对象（儿童）', childPh: '输入儿童姓名搜索', reason: '启动事由', reasonNote: '事由说明', name: '会商名称', namePh: '默认：姓名 + 个案会商',
      when: '会商时间', online: '线上会商', place: '地点', placePh: '会议室，或线上会议号', agenda: '会商议程', participants: '参会方', addParticipant: '添加参会方',
      kind: { agency: '成员单位/社会组织', unit: '街道/社区', person: '具名人员' }, pickAgency: '选择单位', pickUnit: '选择街道或社区', personName: '姓名', note: '说明（如职务）',
      submit: '召集', save: '保存', caseId: '关联个案编号（可选）', needChild: '请选择会商对象',
    },
    detail: {
      basics: '会商安排', agenda: '议程', participants: '参会方', attended: '出席', absent: '缺席', unknown: '未记录', materials: '会商材料', noMaterials: '暂无材料', upload: '上传材料（图片或 PDF）',
      record: '会商记录', discussion: '会商情况', decisions: '决定事项', followups: '前次会商未办结事项', noFollowups: '无', noDecisions: '暂无决定事项',
      recordTitle: '记录会商纪要', amendTitle: '补正纪要、追加决定事项', addDecision: '添加决定事项', content: '决定事项', owner: '责任单位', due: '完成期限', result: '办理情况',
      ownerKind: { agency: '成员单位', unit: '街道/社区' }, save: '保存纪要', print: '打印纪要', docx: '下载 Word', edit: '修改安排', cancel: '取消会商', close: '办结会商', cancelNote: '取消原因',
      closeConfirm: '所有决定事项已办结，确认办结本次会商？', done: '已办结', open: '办理中', overdue: '已逾期', complete: '办结', heldAt: '召开时间', child: '儿童档案',
    },
    task: { title: '会商决定事项', mine: '我的决定事项', conference: '所属会商', resultPh: '办理结果：做了什么、儿童现状、后续安排', submit: '提交办理结果', doneAt: '办结时间', empty: '暂无分配给本单位的决定事项' },
    child: { tab: '会商', empty: '暂无会商', convene: '召集会商' },
    case: { title: '个案会商', convene: '从本个案召集会商', empty: '本个案暂无会商', others: '该儿童另有 {n} 次会商未关联本个案（见儿童档案“会商”）', link: '关联个案', caseNo: '个案 #{id}', pick: '关联个案（可选）', none: '不关联个案' },
    print: { title: '个案会商纪要', number: '会商编号：{id}', recorder: '记录人', chair: '主持人' },
  },
}
