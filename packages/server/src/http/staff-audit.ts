/** A request field whose name says it holds a secret: never written to the audit log. */
const SECRET_FIELD = /password|token|secret|key|authorization/i;

/** Longer strings (a whole CSV import) are recorded by their length only: the log holds evidence, not payloads. */
export const MAX_RECORDED_STRING = 1000;

/**
 * The request with secret-looking fields removed at any depth (arrays and objects are copied) and
 * strings over MAX_RECORDED_STRING characters replaced by their length.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === 'string' && value.length > MAX_RECORDED_STRING) return `[${value.length} characters]`;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!SECRET_FIELD.test(k)) out[k] = redactSecrets(v);
  }
  return out;
}

/** The record the registry appends for a staff action (a subset of the audit module's entry). */
export interface StaffActionEntry {
  category: 'admin';
  action: string;
  actorId: string | null;
  subject?: string | null;
  conversationId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Where staff actions go: the audit log. */
export interface StaffActionLog {
  append(entry: StaffActionEntry): Promise<unknown>;
}

/** The audit entry of a successful staff operation: `admin.<op>`, the request without secrets. */
export function staffActionEntry(
  op: string,
  body: unknown,
  actorId: string | null,
  ip: string,
): StaffActionEntry {
  const request = (redactSecrets(body) ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof request[k] === 'string' ? (request[k] as string) : null);
  return {
    category: 'admin',
    action: `admin.${op}`,
    actorId,
    subject: str('userId'),
    conversationId: str('conversationId'),
    ip,
    details: { request },
  };
}
