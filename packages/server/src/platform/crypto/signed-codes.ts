import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Keyring } from './keyring.ts';

/**
 * What a security code stands for (R-C7): `u` a user, `g` a group, `l` a desktop waiting for quick
 * login, `t` a directed transfer (open a chat to a fixed target with a prepared message).
 */
export type CodeKind = 'u' | 'g' | 'l' | 't';

export interface CodeClaims {
  kind: CodeKind;
  /** The user, group, login attempt or transfer target the code is for. */
  subject: string;
  /**
   * The subject's code version when issued; refreshing a code bumps the version kept with the
   * subject, so every older code stops working. The module owning the subject compares it.
   */
  version: number;
  /** Milliseconds since the epoch, or null for a code that does not expire. */
  expiresAt: number | null;
  /** Small extra data, e.g. the prepared message of a transfer code. */
  data?: string;
}

/** The keyed MAC the codes are signed with (the app passes a keyring-derived one). */
export type Mac = (data: string) => string;

const PREFIX = 'ZX1';
const KINDS: ReadonlySet<string> = new Set(['u', 'g', 'l', 't']);
const MAX_LENGTH = 2048;

interface Payload {
  s: string;
  v: number;
  e: number | null;
  d?: string;
}

function isPayload(v: unknown): v is Payload {
  const p = v as Payload;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.s === 'string' &&
    p.s.length > 0 &&
    Number.isInteger(p.v) &&
    (p.e === null || Number.isInteger(p.e)) &&
    (p.d === undefined || typeof p.d === 'string')
  );
}

/**
 * Signs and checks security codes: `ZX1.<kind>.<payload>.<mac>`, the payload base64url JSON, the MAC
 * over everything before it. A QR code carries this text. Forged or altered codes fail the MAC;
 * expired ones fail the clock; replaced ones fail the owner's version check.
 *
 * @example
 * const codes = new CodeSigner((d) => keyring.blindIndex('security-code', d));
 * const text = codes.sign({ kind: 'g', subject: groupId, version: 3, expiresAt: null });
 * const claims = codes.verify(text, 'g'); // throws CODE_INVALID / CODE_EXPIRED
 */
export class CodeSigner {
  constructor(
    private readonly mac: Mac,
    private readonly now: () => number = Date.now,
  ) {}

  sign(claims: CodeClaims): string {
    const payload: Payload = { s: claims.subject, v: claims.version, e: claims.expiresAt };
    if (claims.data !== undefined) payload.d = claims.data;
    const body = `${PREFIX}.${claims.kind}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a genuine, unexpired code (of `kind`, when given); else a typed error. */
  verify(text: string, kind?: CodeKind): CodeClaims {
    if (typeof text !== 'string' || text.length > MAX_LENGTH) throw new AppError('CODE_INVALID');
    const parts = text.trim().split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX || !KINDS.has(parts[1] ?? ''))
      throw new AppError('CODE_INVALID');
    const [prefix, codeKind, encoded, mac] = parts as [string, CodeKind, string, string];
    const expected = Buffer.from(this.mac(`${prefix}.${codeKind}.${encoded}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new AppError('CODE_INVALID');
    if (kind && codeKind !== kind) throw new AppError('CODE_INVALID');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      throw new AppError('CODE_INVALID');
    }
    if (!isPayload(payload)) throw new AppError('CODE_INVALID');
    if (payload.e !== null && payload.e <= this.now()) throw new AppError('CODE_EXPIRED');
    return { kind: codeKind, subject: payload.s, version: payload.v, expiresAt: payload.e, data: payload.d };
  }

  /** The kind of a code's text without checking it (to route a scan); null when it is not ours. */
  static kindOf(text: string): CodeKind | null {
    const kind = text.trim().split('.')[1];
    return text.trim().startsWith(`${PREFIX}.`) && kind && KINDS.has(kind) ? (kind as CodeKind) : null;
  }
}

/** The signer every node agrees on: its MAC key comes from the unsealed keyring. */
export function codeSignerFor(keyring: Keyring): CodeSigner {
  return new CodeSigner((data) => keyring.blindIndex('security-code', data));
}
