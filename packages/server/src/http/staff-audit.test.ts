import { describe, expect, it } from 'vitest';
import { MAX_RECORDED_STRING, redactSecrets, staffActionEntry } from './staff-audit.ts';

describe('staff action records', () => {
  it('drops secret-looking fields at any depth and keeps the rest', () => {
    const request = {
      userId: 'u1',
      password: 'hunter2-hunter2',
      nested: { apiKey: 'k', accessToken: 't', clientSecret: 's', Authorization: 'Bearer x', name: '张三' },
      list: [{ refreshToken: 'r', id: 1 }],
    };
    expect(redactSecrets(request)).toEqual({ userId: 'u1', nested: { name: '张三' }, list: [{ id: 1 }] });
  });

  it('records long strings by their length only', () => {
    const csv = 'x'.repeat(MAX_RECORDED_STRING + 1);
    expect(redactSecrets({ csv, dryRun: false })).toEqual({
      csv: `[${MAX_RECORDED_STRING + 1} characters]`,
      dryRun: false,
    });
  });

  it('names the action after the operation and takes the subject from the request', () => {
    const entry = staffActionEntry(
      'admin.users.resetPassword',
      { userId: 'u9', password: 'p' },
      'op1',
      '10.0.0.9',
    );
    expect(entry).toEqual({
      category: 'admin',
      action: 'admin.admin.users.resetPassword',
      actorId: 'op1',
      subject: 'u9',
      conversationId: null,
      ip: '10.0.0.9',
      details: { request: { userId: 'u9' } },
    });
  });
});
