import { API_PREFIX } from '@zhixin/protocol';
import { UPLOADS_PATH } from '../../modules/files/index.ts';
import { callOp, mustCall } from '../../testing/factories.ts';
import {
  ANYONE,
  AUDITORS,
  MEMBERS,
  OPERATORS,
  OWNER,
  SIGNED_IN,
  type CallerKind,
  type OpCase,
  type RawOutcome,
  type RouteCase,
  type World,
} from './authz.types.ts';
import { clientId, oncePerWorld } from './cases.messaging.ts';
import { injectAs, outcomeOf, randomAddress, tokenOf } from './runner.ts';

const FILE_BYTES = Buffer.from('authz test file: 这是一个文件\n');
/** A 1×1 PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** One raw tus request as `caller` (tus 1.0 headers, metadata values base64 as the protocol wants). */
async function tus(
  w: World,
  caller: CallerKind,
  method: 'POST' | 'PATCH' | 'HEAD' | 'DELETE' | 'OPTIONS',
  url: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<RawOutcome & { location?: string }> {
  const token = tokenOf(w, caller);
  const res = await w.app.http.inject({
    method,
    url,
    remoteAddress: randomAddress(),
    headers: {
      'tus-resumable': '1.0.0',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body ? { payload: body } : {}),
  });
  const location = res.headers.location;
  return { ...outcomeOf(res.statusCode, res.body), ...(typeof location === 'string' ? { location } : {}) };
}

function metadata(meta: Record<string, string>): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

/** Create an upload as `caller`; with `complete` the bytes travel in the same request (creation-with-upload). */
function createUpload(
  w: World,
  caller: CallerKind,
  meta: Record<string, string>,
  complete: boolean,
): Promise<RawOutcome & { location?: string }> {
  return tus(
    w,
    caller,
    'POST',
    UPLOADS_PATH,
    {
      'upload-length': String(FILE_BYTES.length),
      'upload-metadata': metadata({ filename: 'authz.txt', filetype: 'text/plain', ...meta }),
      ...(complete ? { 'content-type': 'application/offset+octet-stream' } : {}),
    },
    complete ? FILE_BYTES : undefined,
  );
}

/** The id of a new upload of the owner: finished (a ready file) or left unfinished. */
async function ownerUpload(w: World, complete: boolean, meta: Record<string, string> = {}): Promise<string> {
  const created = await createUpload(w, 'owner', meta, complete);
  if (created.status !== 201 || !created.location)
    throw new Error(`upload failed with ${created.status} ${created.code ?? ''}`);
  return created.location.split('/').pop() ?? '';
}

/** A ready file of the owner, sent by the owner in the world's direct chat (so `member` may read it). */
async function fileSentInDirect(w: World): Promise<string> {
  const { owner } = w.users;
  const id = await ownerUpload(w, true, { conversationId: w.direct.id });
  const info = await mustCall(w.app, 'files.get', { id }, owner.accessToken);
  if (info.status !== 'ready') throw new Error(`the test file is ${info.status}`);
  await mustCall(
    w.app,
    'messages.send',
    {
      conversationId: w.direct.id,
      clientId: clientId(),
      content: { kind: 'file', fileId: id, name: 'authz.txt', mime: info.mime, size: info.size },
    },
    owner.accessToken,
  );
  return id;
}

/** One file sent in the direct chat per world, for the read-only cases. */
const sharedFileOf = oncePerWorld(fileSentInDirect);

/** One image of the owner per world (images.upload). */
const imageOf = oncePerWorld(async (w) => {
  const ref = await mustCall(
    w.app,
    'images.upload',
    { mime: 'image/png', dataBase64: PNG_BASE64 },
    w.users.owner.accessToken,
  );
  return ref.id;
});

const READERS: readonly CallerKind[] = ['member', 'owner'];
const READER_RULE =
  'the uploader, or a member of a conversation where a message (not recalled) carries the file';

/** files.* (the bytes travel over tus and signed links: see routeCases). */
export const opCases: OpCase[] = [
  {
    op: 'files.get',
    allow: READERS,
    rule: READER_RULE,
    prepare: async (w) => ({ id: await sharedFileOf(w) }),
  },
  {
    op: 'files.link',
    allow: READERS,
    rule: READER_RULE,
    prepare: async (w) => ({ id: await sharedFileOf(w), conversationId: w.direct.id }),
  },
  {
    op: 'files.delete',
    allow: OWNER,
    rule: 'the uploader (members the file was sent to may read it, not delete it)',
    prepare: async (w) => ({ id: await fileSentInDirect(w) }),
  },
  { op: 'files.quota', allow: SIGNED_IN, rule: 'any signed-in user (their own quota)', prepare: () => ({}) },
  { op: 'files.policy', allow: SIGNED_IN, rule: 'any signed-in user', prepare: () => ({}) },
  {
    op: 'files.acceptDisclaimer',
    allow: MEMBERS,
    rule: 'member of the conversation the file is for (their own acceptance)',
    prepare: async (w) => {
      const policy = await mustCall(w.app, 'files.policy', {}, w.users.owner.accessToken);
      return { conversationId: w.group.id, version: policy.disclaimer.version };
    },
  },
  { op: 'files.settings', allow: OPERATORS, rule: 'operators and administrators', prepare: () => ({}) },
  {
    op: 'files.updateSettings',
    allow: OPERATORS,
    rule: 'operators and administrators (audited)',
    // Writes back the current retention: a real change that leaves every other case as it was.
    prepare: async (w) => {
      const now = await mustCall(w.app, 'files.settings', {}, w.users.admin.accessToken);
      return { retention: { defaultDays: now.retention.defaultDays } };
    },
  },
  {
    op: 'files.trace',
    allow: AUDITORS,
    rule: 'auditors and administrators',
    prepare: async (w) => {
      const info = await mustCall(
        w.app,
        'files.get',
        { id: await sharedFileOf(w) },
        w.users.owner.accessToken,
      );
      return { sha256: info.sha256 ?? '0'.repeat(64) };
    },
  },
];

const uploadUrl = (id: string) => `${UPLOADS_PATH}/${id}`;
const NOBODY: readonly CallerKind[] = [];

/**
 * tus under /api/v1/uploads (an upload belongs to its creator), signed download links, and images
 * (capability URLs).
 */
export const routeCases: RouteCase[] = [
  {
    route: `POST ${UPLOADS_PATH}`,
    allow: MEMBERS,
    rule: 'any signed-in user; for a conversation (as here), a member of it',
    attempt: (w, caller) => createUpload(w, caller, { conversationId: w.group.id }, false),
  },
  {
    route: `POST ${UPLOADS_PATH}/*`,
    allow: NOBODY,
    rule: 'nobody: uploads are created at the collection only',
    attempt: async (w, caller) =>
      tus(w, caller, 'POST', uploadUrl(await ownerUpload(w, false)), {
        'upload-length': String(FILE_BYTES.length),
        'upload-metadata': metadata({ filename: 'again.txt' }),
      }),
  },
  ...(['PATCH', 'HEAD', 'DELETE'] as const).map((method): RouteCase => ({
    route: `${method} ${UPLOADS_PATH}`,
    allow: NOBODY,
    rule: "nobody: tus reads, appends to and ends an upload at the upload's own URL",
    attempt: (w, caller) =>
      tus(w, caller, method, UPLOADS_PATH, {
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      }),
  })),
  ...[UPLOADS_PATH, `${UPLOADS_PATH}/*`].map((path): RouteCase => ({
    route: `OPTIONS ${path}`,
    allow: ANYONE,
    rule: 'anyone: the CORS preflight, which reveals nothing',
    attempt: async (w, caller) =>
      tus(w, caller, 'OPTIONS', path === UPLOADS_PATH ? path : uploadUrl(await ownerUpload(w, false)), {
        'access-control-request-method': 'PATCH',
      }),
  })),
  {
    route: `HEAD ${UPLOADS_PATH}/*`,
    allow: OWNER,
    rule: 'the creator of the upload',
    attempt: async (w, caller) => tus(w, caller, 'HEAD', uploadUrl(await ownerUpload(w, false))),
  },
  {
    route: `PATCH ${UPLOADS_PATH}/*`,
    allow: OWNER,
    rule: 'the creator of the upload',
    attempt: async (w, caller) =>
      tus(
        w,
        caller,
        'PATCH',
        uploadUrl(await ownerUpload(w, false)),
        { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        FILE_BYTES.subarray(0, 4),
      ),
  },
  {
    route: `DELETE ${UPLOADS_PATH}/*`,
    allow: OWNER,
    rule: 'the creator of the upload (while unfinished)',
    attempt: async (w, caller) => tus(w, caller, 'DELETE', uploadUrl(await ownerUpload(w, false))),
  },
  {
    route: `GET ${API_PREFIX}/files/:id/content`,
    allow: READERS,
    rule: 'whoever holds a signed link: files.link gives one only to who may read the file, for a few minutes',
    attempt: async (w, caller) => {
      const id = await sharedFileOf(w);
      const mine =
        caller === 'anonymous' ? null : await callOp(w.app, 'files.link', { id }, tokenOf(w, caller));
      let url: string;
      if (mine?.status === 200) url = mine.body.url;
      else {
        // No link of one's own: the best one can do is rewrite someone else's (the signature breaks).
        const owners = await mustCall(w.app, 'files.link', { id }, w.users.owner.accessToken);
        const who = caller === 'anonymous' ? 'x' : w.users[caller].userId;
        url = owners.url.replace(/([?&]u=)[^&]+/, `$1${who}`);
      }
      return injectAs(w, 'anonymous', { method: 'GET', url });
    },
  },
  {
    route: `GET ${API_PREFIX}/images/:id`,
    allow: ANYONE,
    rule: 'anyone holding the image id (an unguessable capability: <img> sends no token)',
    attempt: async (w, caller) => {
      // The capability is the id: a well-formed id that was never issued shows nothing.
      const unknown = await w.app.http.inject({
        method: 'GET',
        url: `${API_PREFIX}/images/${'0'.repeat(26)}`,
      });
      if (unknown.statusCode !== 404) throw new Error(`an unknown image id gave ${unknown.statusCode}`);
      return injectAs(w, caller, { method: 'GET', url: `${API_PREFIX}/images/${await imageOf(w)}` });
    },
  },
];
