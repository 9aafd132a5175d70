export default {
  title: 'Admin console',
  backToApp: 'Back to Zhixin',
  empty: 'Nothing to manage yet',
  forbidden: { title: 'No access', text: 'Only administrators may open the admin console.' },
  menu: { dashboard: 'Dashboard', directory: 'Organization', broadcast: 'Announcements', feedback: 'Feedback', groups: 'Groups', files: 'Files', evidence: 'Audit & evidence' },
};
