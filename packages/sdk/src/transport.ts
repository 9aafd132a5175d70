import { Operations, type OpName, type OpRequest, type OpResponse } from '@zhixin/protocol';
import type { RealtimeConnection } from './realtime/connection.ts';
import type { RestClient } from './rest/rest-client.ts';

/** Calls one operation of the protocol, by whatever route is available. What the managers receive. */
export type Call = <N extends OpName>(name: N, request: OpRequest<N>) => Promise<OpResponse<N>>;

/**
 * Route each call over the WebSocket when it is connected and the operation allows it (`ws: true`),
 * else over REST. A request lost with the socket is not replayed here: only the caller knows whether
 * it is safe to repeat (sending is, thanks to the client id).
 */
export function createCall(rest: RestClient, realtime: RealtimeConnection): Call {
  return <N extends OpName>(name: N, request: OpRequest<N>): Promise<OpResponse<N>> => {
    if (Operations[name].ws && realtime.state === 'connected') {
      return realtime.request(name, request);
    }
    return rest.call(name, request);
  };
}
