export default {
  newVersion: 'A new version of Zhixin is available',
  reload: 'Reload',
  later: 'Later',
};
