/** Media infrastructure: Janus processes, clients and the pool; TURN credentials; media grants. */
export { GrantSigner, type GrantClaims } from './grants.ts';
export { addJanusToken, JanusControl, JanusError, JanusSocket, type JanusMessage } from './janus-client.ts';
export {
  embeddedJanusBinary,
  JanusPool,
  poolFromConfig,
  SHARED_JANUS_ENV,
  sharedJanusFromEnv,
  type JanusServerConfig,
  type LiveServer,
} from './janus-pool.ts';
export { findExecutable, freePort, startManagedJanus, type ManagedJanus } from './janus-process.ts';
export { iceServersFor, turnCredential, type IceConfig } from './turn.ts';
