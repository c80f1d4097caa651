// Platform strings (zh-CN): the shell, login, common words. Modules add theirs in web/src/modules/*/i18n.zh-CN.ts.
export default {
  app: { name: '童护', title: '童护 · 未成年人保护平台', subtitle: '基层未成年人保护工作平台' },
  common: {
    ok: '确定', cancel: '取消', save: '保存', edit: '编辑', create: '新建', search: '查询', reset: '重置',
    actions: '操作', yes: '是', no: '否', loading: '加载中…', copy: '复制', copied: '已复制', close: '关闭',
    detail: '详情', back: '返回', refresh: '刷新', all: '全部', none: '无', retired: '已撤销', active: '正常',
    notFound: '记录不存在或不在您的管辖范围内', notFoundTitle: '不存在', staleReloaded: '数据已被他人修改，已重新加载，请重试',
    saved: '已保存', readOnly: '只读', confirmTitle: '请确认', total: '共 {n} 条', seq: '序号', view: '查看',
  },
  auth: {
    username: '用户名', password: '密码', login: '登 录', loggingIn: '登录中…', logout: '退出登录',
    logoutAll: '退出所有设备', usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
    loginTitle: '用户登录', loginHint: '仅限授权工作人员使用，所有操作均被记录',
    changePassword: '修改密码', mustChange: '您正在使用系统发放的初始密码，请先设置新密码后再继续使用。',
    oldPassword: '原密码', newPassword: '新密码', confirmPassword: '确认新密码',
    passwordRule: '至少 10 位，须同时包含字母和数字，且不能与用户名相同',
    mismatch: '两次输入的新密码不一致', changed: '密码已修改', loggedOut: '已退出登录',
    loggedOutAll: '已退出所有设备上的登录', logoutAllConfirm: '将结束您在所有设备上的登录会话，确定继续？',
  },
  menu: { profile: '个人设置' },
  work: { overdue: '已逾期', dueToday: '今天到期' },
  idle: {
    title: '即将退出登录', text: '您已较长时间没有操作，为保护儿童信息，登录将在以下时间后自动失效。未保存的内容请先保存。剩余',
    keep: '保持登录', kept: '已保持登录', expiredTitle: '登录已超时', expiredText: '登录已因长时间未操作而失效。请重新登录后继续（未保存的内容可能需要重新填写）。', relogin: '重新登录',
  },
  layout: { menu: '菜单' },
  print: { date: '{y}年{m}月{d}日', print: '打印', printedBy: '打印：{mark}' },
  upload: {
    pickFile: '选择 CSV / XLSX 文件', fileInfo: '{name}：{format}，{charset}，共 {rows} 行', sample: '数据预览（前 {n} 行）', line: '行号',
    mapping: '列对应', notMapped: '（不导入）', missingRequired: '缺少必填列：{f}', unmapped: '未使用的列：{c}',
  },
  topbar: { jurisdiction: '管辖范围', role: '角色', language: '语言' },
  level: { city: '市', district: '区县', street: '街道', community: '社区', grid: '网格' },
  change: {
    field: '字段', displayName: '姓名', orgUnit: '所属单位', code: '编码', level: '层级', parent: '上级单位', disabled: '停用',
    reason: '原因', requestId: '申请编号', verificationTask: '核查任务编号', lockedUntil: '锁定至',
  },
  profile: { title: '个人设置', info: '账户信息', security: '安全' },
  errors: { notFoundPage: '页面不存在', forbidden: '您没有访问该页面的权限', goHome: '返回工作台' },
}
