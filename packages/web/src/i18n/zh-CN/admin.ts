export default {
  title: '管理后台',
  backToApp: '返回致信',
  empty: '暂无可管理的功能',
  forbidden: { title: '无权访问', text: '只有管理员可以进入管理后台。' },
  menu: {
    users: '用户管理',
    allGroups: '全部群组',
    license: '许可与无效用户',
    dashboard: '数据概览',
    directory: '组织架构',
    broadcast: '运营消息',
    feedback: '用户反馈',
    groups: '群组管理',
    files: '文件设置',
    evidence: '审计与取证',
  },
};
