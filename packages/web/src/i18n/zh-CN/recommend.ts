export default {
  title: '可能认识的人',
  add: '添加',
  dismiss: '忽略',
  dismissed: '以后不再推荐此人',
  empty: '暂时没有推荐',
  reasons: {
    mutualFriends: '{{count}} 位共同好友',
    sharedGroups: '{{count}} 个共同群聊',
    sameDepartment: '同部门 · {{department}}',
  },
  cancel: '取消',
};
