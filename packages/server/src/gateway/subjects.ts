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

export type NodeMessage = DeliverMessage | SnapshotMessage;

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
}

export interface HeartbeatMessage {
  nodeId: string;
  /** How many users are connected there: a receiver that counts otherwise asks for a snapshot. */
  users: number;
  /** Its open connections (the cluster's online-now figures); absent from nodes of older versions. */
  connections?: number;
  /** The digest of its users (user-set-digest.ts); absent from nodes of older versions. */
  digest?: number;
}

export interface LeaveMessage {
  nodeId: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

export function isNodeMessage(v: unknown): v is NodeMessage {
  if (!isObj(v)) return false;
  if (v.t === 'deliver') {
    return (
      isStrList(v.recipients) &&
      typeof v.frame === 'string' &&
      (v.except === undefined || isStr(v.except)) &&
      (v.revoke === undefined || isStr(v.revoke))
    );
  }
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
    (v.shared === undefined || typeof v.shared === 'boolean')
  );
}

export function isHeartbeat(v: unknown): v is HeartbeatMessage {
  return (
    isObj(v) &&
    isStr(v.nodeId) &&
    Number.isInteger(v.users) &&
    (v.connections === undefined || Number.isSafeInteger(v.connections)) &&
    (v.digest === undefined || isDigest(v.digest))
  );
}

export function isLeave(v: unknown): v is LeaveMessage {
  return isObj(v) && isStr(v.nodeId);
}

export function isEveryoneMessage(v: unknown): v is EveryoneMessage {
  return (
    isObj(v) && isStr(v.nodeId) && typeof v.frame === 'string' && (v.except === undefined || isStr(v.except))
  );
}
