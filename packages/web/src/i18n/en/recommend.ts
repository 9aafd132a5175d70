export default {
  title: 'People you may know',
  add: 'Add',
  dismiss: 'Dismiss',
  dismissed: 'You will not see this suggestion again',
  empty: 'No suggestions for now',
  reasons: {
    mutualFriends: '{{count}} mutual friends',
    sharedGroups: '{{count}} groups in common',
    sameDepartment: 'Same department · {{department}}',
  },
  cancel: 'Cancel',
};
