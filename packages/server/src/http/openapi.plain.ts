import type { OpenApiOperation } from './openapi.ts';

const error = {
  description: 'An error: `{error: {code, message, details}}`',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
          },
        },
      },
      example: { error: { code: 'NOT_FOUND', message: 'image not found' } },
    },
  },
};

const id = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
  example: '01JD3Q8Z5K7M9N2P4R6T8V0X1Y',
});

const binary = (mime: string) => ({ [mime]: { schema: { type: 'string', format: 'binary' } } });

/**
 * The plain HTTP routes that are not operations (their bodies are bytes, not JSON), described by
 * hand because Fastify's schema cannot say what they do. Keyed by OpenAPI path, then method.
 */
export const PLAIN_ROUTES: Record<string, Record<string, OpenApiOperation>> = {
  '/api/v1/images/{id}': {
    get: {
      operationId: 'images.content',
      summary: 'The bytes of an uploaded image (for `<img src>`)',
      description:
        'Needs no session: the id (80 random bits) is the capability. `Content-Type` is the stored type, ' +
        '`ETag` the SHA-256 of the bytes (`If-None-Match` gets 304), cached for a year (immutable).',
      tags: ['images'],
      parameters: [id('The image id from `images.upload`')],
      responses: {
        '200': {
          description: 'The image',
          content: { ...binary('image/png'), ...binary('image/jpeg'), ...binary('image/webp') },
        },
        '304': { description: 'Not modified' },
        default: error,
      },
    },
  },
  '/api/v1/uploads': {
    post: {
      operationId: 'uploads.create',
      summary: 'Start a resumable upload (tus 1.0 creation)',
      description:
        'The tus protocol (https://tus.io/protocols/resumable-upload): `Tus-Resumable: 1.0.0`, ' +
        '`Upload-Length` and `Upload-Metadata` (keys in `UPLOAD_METADATA`, packages/protocol/src/files.ts: ' +
        'name, mime, conversation). Answers 201 with `Location: /api/v1/uploads/{id}`; the upload id is the file id. ' +
        'Bearer token required; the size limit and quota of `files.policy` apply.',
      tags: ['files'],
      security: [{ bearer: [] }],
      responses: { '201': { description: 'Created; `Location` names the upload' }, default: error },
    },
  },
  '/api/v1/uploads/{id}': {
    head: {
      operationId: 'uploads.offset',
      summary: 'How much of an upload the server has (tus `Upload-Offset`)',
      description: 'Resume after a break: `HEAD` gives `Upload-Offset`, then `PATCH` from there.',
      tags: ['files'],
      security: [{ bearer: [] }],
      parameters: [id('The upload (file) id')],
      responses: { '200': { description: '`Upload-Offset` and `Upload-Length` headers' }, default: error },
    },
    patch: {
      operationId: 'uploads.append',
      summary: 'Send the next bytes of an upload (tus)',
      description:
        '`Content-Type: application/offset+octet-stream` and `Upload-Offset` equal to the server’s. ' +
        'When the last byte arrives the file is checked (virus scan, magic bytes) and becomes ready.',
      tags: ['files'],
      security: [{ bearer: [] }],
      parameters: [id('The upload (file) id')],
      requestBody: { content: binary('application/offset+octet-stream') },
      responses: { '204': { description: 'Accepted; `Upload-Offset` is the new offset' }, default: error },
    },
  },
  '/api/v1/files/{id}/content': {
    get: {
      operationId: 'files.content',
      summary: 'Download a file through a signed link from `files.link`',
      description:
        'The query of the link (expiry and signature) is the authorisation; `Range` requests are ' +
        'supported (206). `LINK_INVALID` for a forged or expired link, `FILE_EXPIRED` after retention.',
      tags: ['files'],
      parameters: [id('The file id')],
      responses: {
        '200': { description: 'The bytes', content: binary('application/octet-stream') },
        '206': { description: 'Part of the bytes (Range)' },
        default: error,
      },
    },
  },
  '/api/v1/audit/export': {
    get: {
      operationId: 'audit.exportFile',
      summary: 'Download audit and evidence records as a file (auditors)',
      description:
        'The evidence as a streamed download, oldest first, filtered like `audit.list` ' +
        '(`format=csv|jsonl`, `category`, `action`, `actorId`, `subject`, `conversationId`, `from`, `to`). ' +
        'Auditors and administrators (bearer token); the export itself is recorded (`audit.export`).',
      tags: ['audit'],
      security: [{ bearer: [] }],
      parameters: [
        { name: 'format', in: 'query', schema: { type: 'string', enum: ['csv', 'jsonl'] }, example: 'csv' },
        { name: 'category', in: 'query', schema: { type: 'string' }, example: 'file' },
        { name: 'from', in: 'query', schema: { type: 'integer' }, example: 1767225600000 },
        { name: 'to', in: 'query', schema: { type: 'integer' }, example: 1769904000000 },
      ],
      responses: { '200': { description: 'The records, streamed' }, default: error },
    },
  },
};
