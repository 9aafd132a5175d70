export default {
  productName: '致信',
  defaultTitle: '欢迎使用{{product}}',
  defaultText: '企业内部即时通讯：消息、通讯录与多端同步，部署在您自己的服务器上。',
  skip: '跳过',
  skipIn: '跳过 {{count}}',
};
