export default {
  newVersion: '致信有新版本可用',
  reload: '刷新',
  later: '稍后',
};
