import type { OpenApiDocument } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import { filterGroups, groupOperations } from './api-reference.ts';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Zhixin API', version: '1' },
  tags: [{ name: 'friends', description: '好友' }],
  paths: {
    '/api/v1/friends/recommendations': {
      get: {
        operationId: 'friends.recommendations',
        summary: 'People I may know',
        tags: ['friends'],
        responses: { '200': { content: { 'application/json': { example: { items: [] } } } } },
      },
    },
    '/api/v1/auth/login': {
      post: {
        operationId: 'auth.loginPassword',
        summary: 'Sign in',
        tags: ['auth'],
        requestBody: { content: { 'application/json': { example: { phone: '+8613800138000' } } } },
      },
      parameters: [],
    },
  },
};

describe('the API reference', () => {
  it('groups operations by tag with their examples', () => {
    const groups = groupOperations(doc);
    expect(groups.map((g) => [g.tag, g.entries.map((e) => e.operationId)])).toEqual([
      ['auth', ['auth.loginPassword']],
      ['friends', ['friends.recommendations']],
    ]);
    expect(groups[1]!.description).toBe('好友');
    expect(groups[0]!.entries[0]!.requestExample).toEqual({ phone: '+8613800138000' });
    expect(groups[1]!.entries[0]!.responseExample).toEqual({ items: [] });
  });

  it('searches paths, names and summaries, case-insensitively', () => {
    expect(filterGroups(groupOperations(doc), 'RECOMMEND').map((g) => g.tag)).toEqual(['friends']);
    expect(filterGroups(groupOperations(doc), 'nothing here')).toEqual([]);
    expect(filterGroups(groupOperations(doc), ' ')).toHaveLength(2);
  });
});
