import { timingSafeEqual } from 'node:crypto';
import type { ExportFormat, ExportKind } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';

/** How long a download link works: long enough to click, too short to be worth leaking. */
export const TICKET_TTL_MS = 60_000;

/** What one download link allows: this user, this export, this range, until `expiresAt`. */
export interface TicketClaims {
  userId: string;
  kind: ExportKind;
  format: ExportFormat;
  from: number | null;
  to: number | null;
  expiresAt: number;
}

/**
 * Signed download tickets (`<payload>.<mac>`, the MAC keyed from the keyring so every node agrees).
 * A browser cannot put a bearer token on a plain link, so the console asks for a ticket (an operator
 * operation) and follows the link; the route still checks the user's current role.
 */
export class ExportTickets {
  constructor(
    private readonly mac: (data: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  sign(claims: Omit<TicketClaims, 'expiresAt'>): { ticket: string; expiresAt: number } {
    const expiresAt = this.now() + TICKET_TTL_MS;
    const payload = Buffer.from(JSON.stringify({ ...claims, expiresAt })).toString('base64url');
    return { ticket: `${payload}.${this.mac(payload)}`, expiresAt };
  }

  /** The claims of a genuine, unexpired ticket; UNAUTHENTICATED otherwise. */
  verify(ticket: string): TicketClaims {
    const [payload, mac, extra] = ticket.split('.');
    if (!payload || !mac || extra !== undefined) throw new AppError('UNAUTHENTICATED');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new AppError('UNAUTHENTICATED');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TicketClaims;
    if (claims.expiresAt <= this.now()) throw new AppError('UNAUTHENTICATED', { reason: 'ticket_expired' });
    return claims;
  }
}
