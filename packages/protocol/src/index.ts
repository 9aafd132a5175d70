export * from './errors.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './messages.ts';
export * from './conversations.ts';
export * from './operations.ts';
export * from './ws.ts';
