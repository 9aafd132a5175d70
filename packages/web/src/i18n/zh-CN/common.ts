export default {
  appName: '致信',
  ok: '确定',
  cancel: '取消',
  save: '保存',
  back: '返回',
  retry: '重试',
  loading: '加载中…',
  offline: '网络已断开，正在重连…',
  connecting: '连接中…',
  nav: { chats: '消息', contacts: '通讯录', discover: '发现', me: '我', admin: '管理后台', settings: '设置' },
  errors: {
    network: '网络错误，请稍后重试',
    unknown: '操作失败：{{message}}',
  },
};
