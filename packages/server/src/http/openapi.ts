import { Operations, type OpName } from '@zhixin/protocol';
import { exampleOf, type JsonSchema } from './openapi.examples.ts';
import { PLAIN_ROUTES } from './openapi.plain.ts';

/** The parts of an OpenAPI 3.1 document this enrichment reads and writes. */
export interface OpenApiObject {
  paths?: Record<string, Record<string, OpenApiOperation | undefined> | undefined>;
  tags?: { name: string; description?: string }[];
  [key: string]: unknown;
}

interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; schema?: JsonSchema; example?: unknown }[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>;
  [key: string]: unknown;
}

const ACCESS_TEXT = {
  public: 'anyone, without a session',
  user: 'any signed-in user',
  operator: 'operators and administrators',
  auditor: 'auditors and administrators (read-only evidence)',
  admin: 'administrators',
} as const;

/** What each tag (module) is about, for the grouped reference. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: '注册、登录、短信验证码、会话与设备 · Registration, sign-in, SMS codes, sessions and devices',
  users: '个人资料与偏好 · Profiles and preferences',
  conversations: '会话、成员与已读 · Conversations, members, read positions',
  messages: '消息收发、撤回、编辑、回应 · Sending, recall, edit, reactions',
  groups: '群组管理 · Group management',
  contacts: '通讯录 · Contacts',
  friends: '好友、好友请求、可能认识的人 · Friends, requests, people you may know',
  directory: '组织架构 · Organisation directory',
  settings: '客户端设置 · Client settings',
  system: '系统设置与 API 目录 · Runtime system settings and the API catalogue',
  exports: '数据导出 · Exports of users and behaviour data',
  images: '图片 · Images',
  files: '文件 · Files',
  audit: '审计 · Audit and evidence',
  stats: '统计 · Usage statistics',
  admin: '管理后台 · Administration',
  calls: '语音与视频通话 · Voice and video calls',
  codes: '二维码：个人码、群码、扫码登录 · QR codes: user, group, quick sign-in',
  meetings: '会议 · Meetings',
  moments: '战友圈 · Moments',
  opsAccount: '运营号：群发与反馈 · Operations account: broadcasts and feedback',
  presence: '在线状态 · Presence',
};

function describe(name: OpName): string {
  const def = Operations[name];
  const ws = def.ws
    ? `Also over the WebSocket (\`/ws\`) as a \`req\` frame named \`${name}\`, with the same request and response.`
    : 'REST only.';
  return [
    `${def.summary}.`,
    '',
    `**Access:** ${ACCESS_TEXT[def.access]}.${def.access === 'public' ? '' : ' Send `Authorization: Bearer <access token>`.'} ${ws}`,
    '',
    'Errors answer `{error: {code, message, details}}` with the HTTP status of the code (see the error catalog in docs/PROTOCOL.md); bad input is `400 VALIDATION_FAILED` and changes nothing.',
  ].join('\n');
}

function addExamples(op: OpenApiOperation): void {
  for (const p of op.parameters ?? []) {
    if (p.schema && p.example === undefined) p.example = exampleOf(p.schema, p.name);
  }
  for (const media of Object.values(op.requestBody?.content ?? {})) {
    if (media.schema && media.example === undefined) media.example = exampleOf(media.schema);
  }
  const ok = op.responses?.['200'];
  for (const media of Object.values(ok?.content ?? {})) {
    if (media.schema && media.example === undefined) media.example = exampleOf(media.schema);
  }
  if (ok && !ok.description) ok.description = 'Success';
}

/**
 * Complete the generated document: every operation gets a description (access, WebSocket name,
 * errors) and examples generated from its schemas; the plain routes (uploads, file content, images,
 * exports) that Fastify's schema does not describe are added; tags get descriptions.
 */
export function enrichOpenApi<T extends object>(document: T): T {
  // The generated document, seen through the few fields this reads and writes.
  const doc = document as OpenApiObject;
  const paths = (doc.paths ??= {});
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item ?? {})) {
      if (!op || typeof op !== 'object') continue;
      const name = op.operationId;
      if (name && name in Operations) op.description ??= describe(name as OpName);
      addExamples(op);
    }
  }
  for (const [path, methods] of Object.entries(PLAIN_ROUTES)) {
    const item = (paths[path] ??= {});
    for (const [method, op] of Object.entries(methods)) item[method] ??= structuredClone(op);
  }
  const tags = new Set<string>();
  for (const item of Object.values(paths))
    for (const op of Object.values(item ?? {})) for (const t of op?.tags ?? []) tags.add(t);
  doc.tags = [...tags].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return document;
}
