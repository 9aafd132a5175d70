import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * One typed config: defaults < config file (JSON, `ZX_CONFIG_FILE` or ./zhixin.config.json) < `ZX_*` env.
 * Env names are the key path in SCREAMING_SNAKE_CASE: `auth.accessTtlSeconds` is `ZX_AUTH_ACCESS_TTL_SECONDS`.
 * Keys marked `public: true` may be shown to the web client.
 */
const Int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  Type.Integer({ default: def, minimum: min, maximum: max });
const Str = (def: string) => Type.String({ default: def });
const Bool = (def: boolean) => Type.Boolean({ default: def });

/** The web client's build, beside this package in the repository (packages/web/dist). */
const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const ConfigSchema = Type.Object({
  port: Int(8080, 0, 65_535),
  host: Str('0.0.0.0'),
  dataDir: Str('./data'),
  /** Empty: SQLite file `zhixin.db` under dataDir. `postgres://...`: PostgreSQL. */
  databaseUrl: Str(''),
  /**
   * PostgreSQL connections of each process (a node of `--workers N` holds up to N × size; keep the
   * cluster's total under the server's max_connections). `warm` are opened at start and never
   * closed for being idle (their prepared statements stay); the others close after `idleSeconds`.
   */
  databasePool: Type.Object({
    size: Int(10, 1, 1000),
    warm: Int(0, 0, 1000),
    idleSeconds: Int(60, 1, 86_400),
  }),
  /** Empty: in-process broker (or the primary's relay with --workers). `nats://...`: NATS. */
  natsUrl: Str(''),
  /**
   * Prepended to every NATS subject (`<prefix>.zx.…`): installations sharing one NATS server (a
   * staging beside production) stay apart. Dot-separated tokens of letters, digits, `_` and `-`.
   */
  natsSubjectPrefix: Type.String({ default: '', pattern: '^([A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)?$' }),
  /** Stable id of this node in a cluster; random per start when empty. */
  nodeId: Str(''),
  workers: Int(1, 1, 64),
  /**
   * How `--workers N` share the port. `shared`: every worker accepts from the one listening socket
   * (the kernel hands a connection to a worker that is free) and stops accepting while it holds
   * more than its share or nears its open-file limit. `round-robin`: the primary accepts every
   * connection and passes it to the next worker over IPC (even spread, more CPU per connect).
   */
  workerAccept: Type.Union([Type.Literal('shared'), Type.Literal('round-robin')], { default: 'shared' }),
  logLevel: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  publicUrl: Str('http://localhost:8080'),
  /** HTTPS with the organisation's certificate (PEM files); empty: plain HTTP (e.g. behind a TLS proxy). */
  tls: Type.Object({
    certFile: Str(''),
    keyFile: Str(''),
  }),
  http: Type.Object({
    /** Allowed cross-origin callers; empty allows none (the web client is served same-origin). */
    corsOrigins: Type.Array(Type.String(), { default: [] }),
    rateLimitPerMinute: Int(1200, 1),
    trustProxy: Bool(false),
    bodyLimitBytes: Int(1024 * 1024, 1024),
    /** When set, /metrics requires `Authorization: Bearer <token>`. */
    metricsToken: Str(''),
    /** A client must finish sending its request headers within this (slowloris with slow headers). */
    headersTimeoutSeconds: Int(20, 1, 600),
    /**
     * A JSON API request body must arrive whole within this (slowloris with slow bodies). Uploads
     * (tus, up to 1 GiB in one request) are exempt: they are bounded by the idle timeout instead.
     */
    bodyTimeoutSeconds: Int(30, 1, 3600),
    /** A connection with no byte in either direction for this long is closed (WebSockets ping every 25 s). */
    idleTimeoutSeconds: Int(120, 5, 3600),
    /** How long an idle keep-alive connection waits for its next request. */
    keepAliveTimeoutSeconds: Int(10, 1, 600),
    /**
     * Multiplies every per-caller operation limit (http/caller-limits.ts: friend requests, searches by
     * phone, meeting and group codes, uploads...). Load tests and test suites raise it.
     */
    callerLimitMultiplier: Int(1, 1, 1_000_000),
  }),
  auth: Type.Object({
    accessTtlSeconds: Int(900, 30),
    refreshTtlDays: Int(30, 1),
    loginMaxFailures: Int(5, 1),
    lockoutMinutes: Int(15, 1),
    smsCodeTtlSeconds: Int(300, 30),
    smsResendSeconds: Int(60, 0),
    smsMaxPerPhonePerDay: Int(10, 1),
    smsMaxAttempts: Int(5, 1),
    /** Whether people may register themselves; when false, administrators create accounts. */
    registrationOpen: Bool(true),
  }),
  sms: Type.Object({
    /** `dev` logs codes to the console; `http` posts to a carrier gateway. */
    provider: Type.Union([Type.Literal('dev'), Type.Literal('http')], { default: 'dev' }),
    httpUrl: Str(''),
    /** Sent as the Authorization header to the carrier gateway. */
    httpAuthorization: Str(''),
    /** JSON body template; `{phone}`, `{code}` and `{purpose}` are replaced. */
    httpBodyTemplate: Str('{"phone":"{phone}","code":"{code}","purpose":"{purpose}"}'),
    httpTimeoutMs: Int(5000, 100),
  }),
  license: Type.Object({
    /** The evaluation cap while no valid license is installed. */
    maxUsers: Int(85_000, 1),
    /** Trusted Ed25519 license-signing public keys: base64 SPKI DER or raw 32 bytes (the vendor keeps the private key). */
    publicKeys: Type.Array(Type.String(), { default: [] }),
  }),
  messages: Type.Object({
    recallWindowSeconds: Int(120, 0),
    /** Most sends committed together in one transaction (group commit). */
    maxBatch: Int(512, 1),
  }),
  gateway: Type.Object({
    heartbeatSeconds: Int(25, 1),
    authTimeoutSeconds: Int(10, 1),
    maxFrameBytes: Int(64 * 1024, 1024),
    /** A connection whose unsent data exceeds this is a slow consumer and is dropped. */
    maxBufferedBytes: Int(4 * 1024 * 1024, 1024),
    maxRequestsPerSecond: Int(200, 1),
    /**
     * How often each node (each worker of `--workers N`) tells the others it is alive, with its
     * user and connection counts; a node silent for 3 periods is dropped from the directory.
     */
    nodeHeartbeatMs: Int(5000, 50, 60_000),
  }),
  /** Security codes (QR codes of users, quick login). */
  codes: Type.Object({
    /** Days a user's code stays valid unless the user chooses otherwise; 0: never expires. */
    userValidityDays: Int(30, 0, 3650),
    /** How long a desktop's quick-login code may be scanned and confirmed. */
    quickLoginTtlSeconds: Int(120, 30, 600),
  }),
  groups: Type.Object({
    /** Temporary groups with no message or change for this many days are dissolved. */
    temporaryIdleDays: Int(7, 1, 3650),
    /** How often the cleanup job looks for idle temporary groups. */
    cleanupIntervalMinutes: Int(60, 1, 10_080),
    /** Days a group code (QR) stays valid. */
    codeValidityDays: Int(7, 1, 3650),
  }),
  /** The operations account (运营号): in everyone's contacts; operators send as it. */
  opsAccount: Type.Object({
    enabled: Bool(true),
    name: Type.String({ default: '致信通讯运营', minLength: 1, maxLength: 32 }),
    /** Recipients per transaction batch of a broadcast. */
    batchSize: Int(500, 1, 5000),
    /** Pause between batches, so ordinary traffic keeps its latency during a broadcast. */
    batchPauseMs: Int(5, 0, 10_000),
  }),
  /** Defaults of what every client shows (administrators may override them at runtime). */
  client: Type.Object({
    productName: Type.String({ default: '致信', minLength: 1, maxLength: 40 }),
    launch: Type.Object({
      enabled: Bool(true),
      /** An uploaded image's id; empty: none. */
      imageId: Str(''),
      text: Type.String({ default: '', maxLength: 200 }),
      durationMs: Int(0, 0, 10_000),
    }),
    welcome: Type.Object({
      enabled: Bool(true),
      /** An uploaded image's id; empty: none. */
      imageId: Str(''),
      title: Type.String({ default: '致信', maxLength: 60 }),
      text: Type.String({ default: '安全、高效的企业即时通讯', maxLength: 500 }),
    }),
  }),
  /** Files (R-L3, R-M3, R-T2): storage, the scanner gate, the inspection webhook, and setting defaults. */
  files: Type.Object({
    /** `disk`: under `<dataDir>/files`; `s3`: an S3-compatible bucket (files.s3.*). */
    storage: Type.Union([Type.Literal('disk'), Type.Literal('s3')], { default: 'disk' }),
    s3: Type.Object({
      /** Empty: AWS's own endpoint for the region; e.g. `http://minio.internal:9000`. */
      endpoint: Str(''),
      region: Str('us-east-1'),
      bucket: Str('zhixin-files'),
      accessKeyId: Str(''),
      secretAccessKey: Str(''),
      /** Path-style URLs (`endpoint/bucket/key`), which most on-premises S3 servers need. */
      forcePathStyle: Bool(true),
      /** Part size of multipart uploads (S3's minimum is 5 MiB). */
      partSizeBytes: Int(8 * 1024 * 1024, 5 * 1024 * 1024),
    }),
    /** clamd's UNIX socket (e.g. `/run/clamav/clamd.ctl`); empty: no scanner gate. */
    clamdSocket: Str(''),
    /** When clamd cannot be reached: refuse the file (false, the default) or let it through. */
    clamdFailOpen: Bool(false),
    clamdTimeoutMs: Int(60_000, 100),
    /** POSTed JSON facts of every completed upload; `{allow:false, reason}` refuses it. Empty: none. */
    inspectWebhookUrl: Str(''),
    inspectWebhookTimeoutMs: Int(10_000, 100),
    /** How long a signed download link stays valid. */
    linkTtlSeconds: Int(300, 10, 86_400),
    /** How often the cleanup job looks for abandoned uploads. */
    cleanupIntervalMinutes: Int(30, 1, 10_080),
    /** Defaults of the operator's file settings (files.updateSettings changes them at runtime). */
    maxFileBytes: Int(1024 ** 3, 1, 1024 ** 3),
    quotaBytesPerUser: Int(0, 0),
    abandonedUploadHours: Int(24, 1, 720),
    retentionDays: Int(0, 0, 36_500),
  }),
  /** Usage statistics (R-A1): rollups from events, online now. */
  stats: Type.Object({
    /** IANA time zone of day, week (from Monday) and month boundaries. */
    timeZone: Str('Asia/Shanghai'),
    /** How often each node adds its counts to the rollups; a crash loses at most this much. */
    flushIntervalMs: Int(10_000, 50, 600_000),
    /** How often the cluster's leader samples online users and connections for the hour's peak. */
    onlineIntervalMs: Int(5_000, 50, 60_000),
  }),
  /** The web client's static files (`npm run build` makes them), served at `/`. */
  web: Type.Object({
    enabled: Bool(true),
    dir: Str(WEB_DIST),
  }),
  /** Moments (战友圈): limits on the one video a post may carry. */
  moments: Type.Object({
    maxVideoBytes: Int(200 * 1024 ** 2, 1, 1024 ** 3),
    maxVideoSeconds: Int(300, 1, 3600),
  }),
  /** 1:1 calls (R-X3, R-X4). */
  calls: Type.Object({
    /** A call nobody answers ends as `missed` after this long. */
    ringSeconds: Int(45, 1, 600),
  }),
  /** Media for calls and meetings: STUN/TURN, and the pool of Janus servers meetings run on. */
  media: Type.Object({
    stun: Type.Array(Type.String(), { default: [] }),
    /** coturn with `use-auth-secret`: credentials are HMAC-SHA1(secret, "<expiry>:<userId>"). */
    turn: Type.Object({
      urls: Type.Array(Type.String(), { default: [] }),
      secret: Str(''),
      ttlSeconds: Int(86_400, 60, 7 * 86_400),
    }),
    /** `auto`: start a Janus of our own on loopback, on first use, when the binary is installed. */
    embeddedJanus: Type.Union([Type.Literal('auto'), Type.Literal('off')], { default: 'auto' }),
    janusBinary: Str('janus'),
    /** Further Janus servers (config file only): `wsUrl` of the API, `adminUrl` of the admin API. */
    janus: Type.Array(
      Type.Object({
        id: Type.String({ minLength: 1, maxLength: 64 }),
        wsUrl: Type.String({ minLength: 1 }),
        adminUrl: Type.String({ minLength: 1 }),
        adminSecret: Type.String(),
      }),
      { default: [] },
    ),
    /** How often every Janus server is pinged; one missed answer marks it dead and moves its rooms. */
    healthCheckSeconds: Int(5, 1, 600),
    /** How long a meeting grant may be used to open the media proxy. */
    grantTtlSeconds: Int(60, 5, 3600),
  }),
  security: Type.Object({
    /** Both custodian passwords unseal the master key (DESIGN.md, security model). */
    custodianPassword1: Str(''),
    custodianPassword2: Str(''),
    /** Embedded default: generate development custodian secrets under dataDir (with a warning). */
    allowDevSecrets: Bool(true),
    /** log2 of the scrypt cost for a NEW installation's master key (stored; later starts use the stored one). */
    kdfLogN: Int(15, 10, 20),
    /**
     * Seal sensitive columns with AES-256-GCM. `false` (benchmarks only, and only together with
     * allowDevSecrets) stores new values in plain text under the reserved key id `plain`; rows
     * written either way stay readable when the switch changes.
     */
    encryptAtRest: Bool(true),
  }),
});
export type Config = Static<typeof ConfigSchema>;

/** Keys the web client may see. */
export const PUBLIC_CONFIG_KEYS = [
  'publicUrl',
  'messages.recallWindowSeconds',
  'license.maxUsers',
  'auth.registrationOpen',
  'client',
] as const;

const SECRET_KEYS = new Set([
  'security.custodianPassword1',
  'security.custodianPassword2',
  'sms.httpAuthorization',
  'databaseUrl',
  'http.metricsToken',
  'media.turn.secret',
  'files.s3.secretAccessKey',
]);

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`config ${key}: ${message}`);
  }
}

function envName(path: string[]): string {
  return 'ZX_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

function coerce(schema: TSchema, raw: string, key: string): unknown {
  const s = schema as { type?: string };
  if (s.type === 'integer' || s.type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new ConfigError(key, `expected a number, got "${raw}"`);
    return n;
  }
  if (s.type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(key, `expected true or false, got "${raw}"`);
  }
  if (s.type === 'array')
    return raw
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return raw;
}

function applyEnv(
  schema: TSchema,
  target: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  path: string[],
): void {
  const props = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  for (const [name, child] of Object.entries(props)) {
    const here = [...path, name];
    if ((child as { type?: string }).type === 'object') {
      const sub = (target[name] ??= {}) as Record<string, unknown>;
      applyEnv(child, sub, env, here);
      continue;
    }
    const raw = env[envName(here)];
    if (raw !== undefined) target[name] = coerce(child, raw, here.join('.'));
  }
}

const check = Compile(ConfigSchema);

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  file?: string;
  overrides?: DeepPartial<Config>;
}
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(extra)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sub = (base[k] ??= {}) as Record<string, unknown>;
      merge(sub, v as Record<string, unknown>);
    } else if (v !== undefined) base[k] = v;
  }
}

/** Parse the config once at boot; a bad value throws a ConfigError naming the key. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const raw: Record<string, unknown> = {};
  const file =
    opts.file ?? env.ZX_CONFIG_FILE ?? (existsSync('zhixin.config.json') ? 'zhixin.config.json' : '');
  if (file) {
    try {
      merge(raw, JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
    } catch (err) {
      throw new ConfigError('file', `cannot read ${file}: ${(err as Error).message}`);
    }
  }
  applyEnv(ConfigSchema, raw, env, []);
  if (opts.overrides) merge(raw, opts.overrides as Record<string, unknown>);
  const withDefaults = Value.Default(ConfigSchema, raw) as Record<string, unknown>;
  if (!check.Check(withDefaults)) {
    const first = [...check.Errors(withDefaults)][0];
    const key = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'config';
    throw new ConfigError(key, first?.message ?? 'invalid');
  }
  const config = withDefaults as Config;
  if (config.databasePool.warm > config.databasePool.size)
    throw new ConfigError(
      'databasePool.warm',
      `${config.databasePool.warm} is more than databasePool.size (${config.databasePool.size})`,
    );
  if (!config.security.encryptAtRest && !config.security.allowDevSecrets)
    throw new ConfigError(
      'security.encryptAtRest',
      'false (plain-text storage) is allowed only with security.allowDevSecrets=true, never in production',
    );
  config.dataDir = resolve(config.dataDir);
  config.web.dir = resolve(config.web.dir);
  return config;
}

/** The config with secrets masked, for logs and the admin console. */
export function redactConfig(config: Config): Record<string, unknown> {
  const out = structuredClone(config) as unknown as Record<string, unknown>;
  for (const key of SECRET_KEYS) {
    const parts = key.split('.');
    let obj: Record<string, unknown> | undefined = out;
    for (const p of parts.slice(0, -1)) obj = obj?.[p] as Record<string, unknown> | undefined;
    const last = parts.at(-1) as string;
    if (obj && obj[last]) obj[last] = '***';
  }
  // Admin secrets of the Janus pool sit in an array the key paths above cannot name.
  const media = out.media as { janus?: Array<{ adminSecret?: string }> } | undefined;
  for (const server of media?.janus ?? []) if (server.adminSecret) server.adminSecret = '***';
  return out;
}
