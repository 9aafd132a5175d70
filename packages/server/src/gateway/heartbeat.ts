/**
 * The heartbeat of one connection, decided at each beat of the gateway's wheel. A peer that said
 * anything since the last beat is alive and gets no ping; one that left `MAX_MISSED_PONGS` pings
 * unanswered is gone. Which ping a quiet peer gets depends on who drives the heartbeat
 * (docs/PROTOCOL.md, "Heartbeats"): a WebSocket protocol ping, or with `auth.heartbeat: 'server'`
 * a `{"type":"ping"}` text frame, whose pongs the connection recognises without parsing.
 */

/** Pings a peer may leave unanswered before it is considered gone. */
export const MAX_MISSED_PONGS = 2;

/** The server's text ping, one Buffer for every connection (framed once for a run of sockets: socket.ts). */
export const SERVER_PING = Buffer.from('{"type":"ping"}');

/** What a beat does: nothing (the peer spoke), close (too many pings unanswered), or ping. */
export type BeatStep = 'heard' | 'timeout' | 'ping';

export function beatStep(heard: boolean, missedPongs: number): BeatStep {
  if (heard) return 'heard';
  return missedPongs >= MAX_MISSED_PONGS ? 'timeout' : 'ping';
}
