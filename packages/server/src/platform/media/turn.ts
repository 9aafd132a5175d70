import { createHmac } from 'node:crypto';
import type { IceServer, IceServers } from '@zhixin/protocol';

export interface IceConfig {
  stun: readonly string[];
  turn: { urls: readonly string[]; secret: string; ttlSeconds: number };
}

/**
 * coturn's `use-auth-secret` (TURN REST API) credentials: `username = "<expiry unix seconds>:<userId>"`,
 * `credential = base64(HMAC-SHA1(secret, username))`; coturn refuses them after the expiry.
 */
export function turnCredential(
  secret: string,
  userId: string,
  expiresAtSeconds: number,
): {
  username: string;
  credential: string;
} {
  const username = `${expiresAtSeconds}:${userId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** The ICE servers for one user now: STUN as configured, TURN with fresh credentials. */
export function iceServersFor(config: IceConfig, userId: string, now = Date.now()): IceServers {
  const expiresAt = now + config.turn.ttlSeconds * 1000;
  const iceServers: IceServer[] = [];
  if (config.stun.length) iceServers.push({ urls: [...config.stun] });
  if (config.turn.urls.length && config.turn.secret) {
    const cred = turnCredential(config.turn.secret, userId, Math.floor(expiresAt / 1000));
    iceServers.push({ urls: [...config.turn.urls], ...cred });
  }
  return { iceServers, expiresAt };
}
