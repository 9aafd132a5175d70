export default {
  title: 'Admin console',
  backToApp: 'Back to Zhixin',
  empty: 'Nothing to manage yet',
  forbidden: { title: 'No access', text: 'Only administrators may open the admin console.' },
  menu: {
    users: 'Users',
    allGroups: 'All groups',
    license: 'License and screening',
    dashboard: 'Dashboard',
    directory: 'Organization',
    broadcast: 'Announcements',
    feedback: 'Feedback',
    groups: 'Groups',
    files: 'Files',
    evidence: 'Audit & evidence',
  },
};
