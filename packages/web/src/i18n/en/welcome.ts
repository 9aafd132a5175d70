export default {
  productName: 'Zhixin',
  defaultTitle: 'Welcome to {{product}}',
  defaultText: 'Messaging, contacts and multi-device sync for your organisation, on your own server.',
  skip: 'Skip',
  skipIn: 'Skip {{count}}',
};
