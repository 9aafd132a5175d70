import { timingSafeEqual } from 'node:crypto';
import { API_PREFIX, type FileVariant } from '@zhixin/protocol';

/** What a download link grants: one user, one file variant, until `exp` (ms since the epoch). */
export interface LinkClaims {
  fileId: string;
  variant: FileVariant;
  disposition: 'inline' | 'attachment';
  userId: string;
  /** The session that asked for the link: the evidence's device. */
  sessionId: string;
  exp: number;
}

/** A keyed MAC (the keyring's HMAC under its own domain). */
export type LinkMac = (data: string) => string;

function canonical(c: LinkClaims): string {
  return [c.fileId, c.variant, c.disposition, c.userId, c.sessionId, String(c.exp)].join('\n');
}

/** `/api/v1/files/<id>/content?v=..&d=..&u=..&s=..&exp=..&sig=..` */
export function signLink(mac: LinkMac, c: LinkClaims): string {
  const q = new URLSearchParams({
    v: c.variant,
    d: c.disposition,
    u: c.userId,
    s: c.sessionId,
    exp: String(c.exp),
    sig: mac(canonical(c)),
  });
  return `${API_PREFIX}/files/${c.fileId}/content?${q.toString()}`;
}

/** The link's claims when its signature holds and it has not expired; null otherwise. */
export function verifyLink(
  mac: LinkMac,
  fileId: string,
  q: Record<string, string | undefined>,
  now: number,
): LinkClaims | null {
  const { v, d, u, s, exp, sig } = q;
  if (v !== 'original' && v !== 'thumbnail') return null;
  if (d !== 'inline' && d !== 'attachment') return null;
  if (!u || !s || !exp || !sig || !/^\d{1,15}$/.test(exp)) return null;
  const claims: LinkClaims = {
    fileId,
    variant: v,
    disposition: d,
    userId: u,
    sessionId: s,
    exp: Number(exp),
  };
  const expected = Buffer.from(mac(canonical(claims)));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return claims.exp > now ? claims : null;
}
