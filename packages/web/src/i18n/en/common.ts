export default {
  appName: 'Zhixin',
  ok: 'OK',
  cancel: 'Cancel',
  save: 'Save',
  back: 'Back',
  retry: 'Retry',
  loading: 'Loading…',
  offline: 'Offline, reconnecting…',
  connecting: 'Connecting…',
  nav: {
    chats: 'Chats',
    contacts: 'Contacts',
    discover: 'Discover',
    me: 'Me',
    admin: 'Admin console',
    settings: 'Settings',
  },
  errors: {
    network: 'Network error, please try again',
    unknown: 'Failed: {{message}}',
  },
};
