import { Type } from 'typebox';
import { Ok } from '../common.ts';
import * as X from '../exports.ts';
import { FriendUserParams } from '../friends.ts';
import { op } from './op.ts';

const Empty = Type.Object({});

/** Exports of users and behaviour data, friend recommendation, system settings, API catalogue (R-A1, R-R1). */
export const ExportOperations = {
  'exports.catalog': op({
    method: 'GET',
    path: '/exports',
    request: Empty,
    response: X.ExportCatalog,
    access: 'operator',
    ws: false,
    summary:
      'The streaming exports (registered users, active users, behaviour profiles), their formats and columns',
    tag: 'exports',
  }),
  'exports.ticket': op({
    method: 'POST',
    path: '/exports/tickets',
    request: X.ExportTicketBody,
    response: X.ExportTicket,
    access: 'operator',
    ws: false,
    summary: 'A download link valid for 60 s for one export, for browsers that cannot send a bearer token',
    tag: 'exports',
  }),
  'friends.recommendations': op({
    method: 'GET',
    path: '/friends/recommendations',
    request: X.RecommendationsQuery,
    response: X.RecommendationList,
    access: 'user',
    ws: true,
    summary: 'People I may know: ranked by mutual friends, shared groups and department, with reasons',
    tag: 'friends',
  }),
  'friends.dismissRecommendation': op({
    method: 'POST',
    path: '/friends/recommendations/{userId}/dismiss',
    request: FriendUserParams,
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Stop suggesting this person to me',
    tag: 'friends',
  }),
  'system.settings': op({
    method: 'GET',
    path: '/system/settings',
    request: Empty,
    response: X.SystemSettings,
    access: 'operator',
    ws: false,
    summary:
      'Runtime system settings: watermark, recall window, registration, SMS gateway (secret shown only as set)',
    tag: 'system',
  }),
  'system.updateSettings': op({
    method: 'PATCH',
    path: '/system/settings',
    request: X.SystemSettingsPatch,
    response: X.SystemSettings,
    access: 'admin',
    ws: false,
    summary: 'Change runtime system settings; they override the config on every node and are audited',
    tag: 'system',
  }),
  'system.testSms': op({
    method: 'POST',
    path: '/system/sms/test',
    request: X.TestSmsBody,
    response: Ok,
    access: 'admin',
    ws: false,
    summary: 'Send a test SMS through the configured gateway',
    tag: 'system',
  }),
  'system.clientPolicy': op({
    method: 'GET',
    path: '/system/client-policy',
    request: Empty,
    response: X.ClientPolicy,
    access: 'user',
    ws: true,
    summary: 'What signed-in clients apply: the watermark template and the recall window',
    tag: 'system',
  }),
  'system.apiCatalogue': op({
    method: 'GET',
    path: '/system/api',
    request: Empty,
    response: X.OpenApiDocument,
    access: 'operator',
    ws: false,
    summary: 'The OpenAPI document of the REST API, for the console’s API reference',
    tag: 'system',
  }),
} as const;
