import { isDigest } from './user-set-digest.ts';

/**
 * The gateway's subjects on the broker and their payloads. Only gateways speak them; payloads come
 * from other nodes of the same cluster, and are still checked before use (a bad one is dropped).
 */
export const Subjects = {
  /** Everything addressed to one node: deliveries and snapshot answers. */
  node: (nodeId: string) => `zx.node.${nodeId}`,
  /** A user's first connection on a node opened, or its last one closed. */
  presence: 'zx.presence',
  /** A node asks the others (or one `target`) for the users connected to them. */
  snapshotRequest: 'zx.presence.snapshot',
  /** A node's whole user list for every node: one answer to several requests that came together. */
  snapshots: 'zx.nodes.snapshot',
  /** Liveness of every node, every few seconds. */
  heartbeat: 'zx.nodes.hb',
  /** A node is shutting down: all its users are offline there. */
  leave: 'zx.nodes.leave',
  /** A frame for every connection of every node (see EveryoneMessage). */
  everyone: 'zx.everyone',
} as const;

/** `zx.everyone`: push a serialized event frame to every connection; the sender's node skips it. */
export interface EveryoneMessage {
  nodeId: string;
  frame: string;
  except?: string;
  /** The sender's number for its frames for everyone (delivery-sequences.ts); absent from older versions. */
  seq?: number;
}

/** `zx.node.<id>`: push a serialized event frame to these users' connections on that node. */
export interface DeliverMessage {
  t: 'deliver';
  recipients: string[];
  frame: string;
  except?: string;
  /** Only this session's connections (call signalling). */
  only?: string;
  /** session.revoked.v1: close this session's connections after delivering. */
  revoke?: string;
  /** A message created: its conversation and seq (EmitOptions.seqHint). */
  hint?: [conversationId: string, seq: number];
  /** The sending node, and its number for its deliveries to this node (delivery-sequences.ts). */
  from?: string;
  seq?: number;
}

/**
 * `zx.node.<requester>` (one asker) or `zx.nodes.snapshot` (several at once): one part of a node's
 * user list; applied as a whole once `last` arrives.
 */
export interface SnapshotMessage {
  t: 'snapshot';
  nodeId: string;
  users: string[];
  part: number;
  last: boolean;
}

/** `zx.node.<sender>`: the asker lost the sender's deliveries `from`..`to`: whom were they for? */
export interface LostRequest {
  t: 'lost';
  nodeId: string;
  from: number;
  to: number;
}

/**
 * `zx.node.<asker>`: the recipients of the deliveries it lost; `all`: they are no longer known (or
 * too many): every device of the asker is to catch up.
 */
export interface LostAnswer {
  t: 'lost-to';
  nodeId: string;
  from: number;
  to: number;
  users: string[];
  all: boolean;
}

/**
 * `zx.node.<asker>`, the answer to a snapshot request: the last numbers the sender gave its
 * deliveries to the asker and its frames for everyone (a node back on the broker learns its losses
 * now, not at the sender's next beat).
 */
export interface SentCounts {
  t: 'sent';
  nodeId: string;
  deliveries: number;
  everyone: number;
}

export type NodeMessage = DeliverMessage | SnapshotMessage | LostRequest | LostAnswer | SentCounts;

/**
 * `zx.presence`: users whose first connection on a node opened (online) or last one closed. A node
 * sends its changes in batches (`online`/`offline` lists); the one-user form is what nodes of the
 * previous version send, still understood during a rolling upgrade.
 */
export type PresenceMessage =
  | { nodeId: string; online: string[]; offline: string[] }
  | { nodeId: string; userId: string; online: boolean };

export interface SnapshotRequest {
  nodeId: string;
  /** Only this node is asked (the asker's count of it disagrees with its heartbeat). */
  target?: string;
  /**
   * The digest the asker holds of each node it knows (user-set-digest.ts): a node whose own digest
   * is the one listed there has nothing to send. Absent from nodes of older versions: all answer.
   */
  known?: Record<string, number>;
  /** The asker reads `zx.nodes.snapshot`; absent from nodes of older versions (answer them alone). */
  shared?: boolean;
  /** The asker reads `sent` counts (SentCounts); nodes of older versions would drop them as malformed. */
  counts?: boolean;
}

export interface HeartbeatMessage {
  nodeId: string;
  /** How many users are connected there: a receiver that counts otherwise asks for a snapshot. */
  users: number;
  /** Its open connections (the cluster's online-now figures); absent from nodes of older versions. */
  connections?: number;
  /** The digest of its users (user-set-digest.ts); absent from nodes of older versions. */
  digest?: number;
  /**
   * The last number it gave its deliveries to each node it sent any to, and its frames for
   * everyone (delivery-sequences.ts). Absent from nodes of older versions, which number nothing.
   */
  sent?: Record<string, number>;
  everyone?: number;
}

export interface LeaveMessage {
  nodeId: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isSeqHint = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && isStr(v[0]) && isSeq(v[1]);
const isSeqMap = (v: unknown): v is Record<string, number> => isObj(v) && Object.values(v).every(isSeq);

export function isNodeMessage(v: unknown): v is NodeMessage {
  if (!isObj(v)) return false;
  if (v.t === 'deliver') {
    return (
      isStrList(v.recipients) &&
      typeof v.frame === 'string' &&
      (v.except === undefined || isStr(v.except)) &&
      (v.revoke === undefined || isStr(v.revoke)) &&
      (v.hint === undefined || isSeqHint(v.hint)) &&
      (v.from === undefined ? v.seq === undefined : isStr(v.from) && isSeq(v.seq))
    );
  }
  if (v.t === 'lost') return isStr(v.nodeId) && isSeq(v.from) && isSeq(v.to) && v.from <= v.to;
  if (v.t === 'lost-to') {
    return (
      isStr(v.nodeId) && isSeq(v.from) && isSeq(v.to) && isStrList(v.users) && typeof v.all === 'boolean'
    );
  }
  if (v.t === 'sent') return isStr(v.nodeId) && isSeq(v.deliveries) && isSeq(v.everyone);
  return isSnapshotMessage(v);
}

export function isSnapshotMessage(v: unknown): v is SnapshotMessage {
  return (
    isObj(v) &&
    v.t === 'snapshot' &&
    isStr(v.nodeId) &&
    isStrList(v.users) &&
    Number.isInteger(v.part) &&
    typeof v.last === 'boolean'
  );
}

export function isPresenceMessage(v: unknown): v is PresenceMessage {
  if (!isObj(v) || !isStr(v.nodeId)) return false;
  if (Array.isArray(v.online)) return isStrList(v.online) && isStrList(v.offline);
  return isStr(v.userId) && typeof v.online === 'boolean';
}

export function isSnapshotRequest(v: unknown): v is SnapshotRequest {
  return (
    isObj(v) &&
    isStr(v.nodeId) &&
    (v.target === undefined || isStr(v.target)) &&
    (v.known === undefined || (isObj(v.known) && Object.values(v.known).every(isDigest))) &&
    (v.shared === undefined || typeof v.shared === 'boolean') &&
    (v.counts === undefined || typeof v.counts === 'boolean')
  );
}

export function isHeartbeat(v: unknown): v is HeartbeatMessage {
  return (
    isObj(v) &&
    isStr(v.nodeId) &&
    Number.isInteger(v.users) &&
    (v.connections === undefined || Number.isSafeInteger(v.connections)) &&
    (v.digest === undefined || isDigest(v.digest)) &&
    (v.sent === undefined || isSeqMap(v.sent)) &&
    (v.everyone === undefined || isSeq(v.everyone))
  );
}

export function isLeave(v: unknown): v is LeaveMessage {
  return isObj(v) && isStr(v.nodeId);
}

export function isEveryoneMessage(v: unknown): v is EveryoneMessage {
  return (
    isObj(v) &&
    isStr(v.nodeId) &&
    typeof v.frame === 'string' &&
    (v.except === undefined || isStr(v.except)) &&
    (v.seq === undefined || isSeq(v.seq))
  );
}
