import type { MessageContent } from '@zhixin/protocol';
import type { MediaSet } from '../lib/media-files.ts';
import type { TrafficPlan } from '../load/types.ts';

/**
 * The traffic plans of the issue 9 scenarios, as pure functions of who talks to whom, so that
 * `throughput`, `fanout`, `cluster` and `soak` send the same mixes and a unit test can check them.
 * Client ids are at most 64 characters (protocol ClientId): plan names stay short.
 */

/** Rich-media metadata must stay small (R-X2: media by reference, metadata ≤ 2 KiB per message). */
export const MAX_TEMPLATE_BYTES = 2048;

/** A direct conversation between fleet connections `a` and `b`; both of them send. */
export interface DirectPair {
  a: number;
  b: number;
  conversationId: string;
}

/** A group whose members sit on these fleet connections. */
export interface GroupOnFleet {
  conversationId: string;
  members: number[];
}

function sendBody(conversationId: string, content: MessageContent): string {
  return JSON.stringify({ conversationId, clientId: '$CLIENT_ID', content });
}

/**
 * The R-X2 mix: text, image, file, voice and video in turn, media naming the sender's own ready
 * files (by reference: only metadata travels).
 */
export function richTemplates(conversationId: string, media: MediaSet): string[] {
  const bodies = [
    sendBody(conversationId, {
      kind: 'text',
      text: '压测消息 bench message: 今天下午三点开会，请准时参加。',
    }),
    sendBody(conversationId, media.image),
    sendBody(conversationId, media.file),
    sendBody(conversationId, media.voice),
    sendBody(conversationId, media.video),
  ];
  for (const b of bodies)
    if (Buffer.byteLength(b) > MAX_TEMPLATE_BYTES)
      throw new Error(`a message body of ${Buffer.byteLength(b)} bytes exceeds ${MAX_TEMPLATE_BYTES}`);
  return bodies;
}

export function textTemplates(conversationId: string): string[] {
  return [sendBody(conversationId, { kind: 'text', text: '群消息 group bench message: 项目进度更新。' })];
}

/**
 * S3: both ends of every pair send the rich mix to each other, `rate` messages per second over all
 * senders (open model: each sender at rate / senders). `mediaOf(conn)` is the sender's own media.
 * A pair end listed in neither fleet plan's receivers (the peer is on another node's fleet) is
 * still sent to: `receivers` then holds only the connections this fleet can account for.
 */
export function directPlan(opts: {
  name: string;
  pairs: readonly DirectPair[];
  /** The sender's own media for the rich mix; absent: text only. */
  mediaOf?: (conn: number) => MediaSet;
  rate: number;
  durationSec: number;
  drainSec?: number;
  /** Only these connections send (the rest of a cross-node pair is another fleet's); default all. */
  sendsFrom?: (conn: number) => boolean;
  /** Only these connections are expected receivers in this fleet; default all. */
  receivesAt?: (conn: number) => boolean;
}): TrafficPlan {
  const senders = opts.pairs.length * 2;
  if (senders === 0) throw new Error('a direct plan needs at least one pair');
  const each = opts.rate / senders;
  return {
    name: opts.name,
    durationSec: opts.durationSec,
    ...(opts.drainSec === undefined ? {} : { drainSec: opts.drainSec }),
    senders: opts.pairs.flatMap((p) =>
      [
        [p.a, p.b],
        [p.b, p.a],
      ]
        .filter(([from]) => opts.sendsFrom?.(from as number) ?? true)
        .map(([from, to]) => ({
          conn: from as number,
          op: 'messages.send',
          templates: opts.mediaOf
            ? richTemplates(p.conversationId, opts.mediaOf(from as number))
            : textTemplates(p.conversationId),
          ratePerSec: each,
          receivers: (opts.receivesAt?.(to as number) ?? true) ? [to as number] : [],
        })),
    ),
  };
}

/**
 * S4: `rate` group messages per second in total, spread evenly over the groups and, within a
 * group, over its first `sendersPerGroup` members; every other member is an expected receiver.
 */
export function groupPlan(opts: {
  name: string;
  groups: readonly GroupOnFleet[];
  sendersPerGroup: number;
  rate: number;
  durationSec: number;
  drainSec?: number;
}): TrafficPlan {
  const perGroup = opts.rate / Math.max(1, opts.groups.length);
  return {
    name: opts.name,
    durationSec: opts.durationSec,
    ...(opts.drainSec === undefined ? {} : { drainSec: opts.drainSec }),
    senders: opts.groups.flatMap((g) => {
      const talkers = g.members.slice(0, Math.max(1, Math.min(opts.sendersPerGroup, g.members.length)));
      return talkers.map((conn) => ({
        conn,
        op: 'messages.send',
        templates: textTemplates(g.conversationId),
        ratePerSec: perGroup / talkers.length,
        receivers: g.members.filter((m) => m !== conn),
      }));
    }),
  };
}

/** The rates `--find-max` tries: from `start`, each step `factor` higher, up to `ceiling`. */
export function rateSteps(start: number, factor: number, ceiling: number): number[] {
  if (!(start > 0) || !(factor > 1)) throw new Error('find-max needs a positive start and a factor above 1');
  const steps: number[] = [];
  for (let r = start; r <= ceiling; r = Math.round(r * factor)) steps.push(Math.round(r));
  return steps;
}
