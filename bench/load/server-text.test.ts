import { describe, expect, it } from 'vitest';
import { helloHeartbeat, responseHead, serverTextKind } from './server-text.ts';

describe('reading server text frames in a load agent', () => {
  it('tells the kinds apart by their prefix', () => {
    expect(serverTextKind('{"type":"event","event":"message.new","data":{}}')).toBe('event');
    expect(serverTextKind('{"type":"res","id":"1","ok":true,"body":{}}')).toBe('res');
    expect(serverTextKind('{"type":"ping"}')).toBe('ping');
    expect(serverTextKind('{"type":"pong","t":5}')).toBe('pong');
    expect(serverTextKind('{"type":"hello","v":1}')).toBe('hello');
    expect(serverTextKind('{"type":"bye","reason":"server_shutdown"}')).toBe('bye');
    expect(serverTextKind('{"type":"error","error":{"code":"UNAUTHENTICATED"}}')).toBe('error');
    expect(serverTextKind('{"type":"ping","t":1}')).toBe('other');
  });

  it('reads a response head by its key order, and by JSON when the order differs', () => {
    expect(responseHead('{"type":"res","id":"7","ok":true,"body":{"seq":1}}')).toEqual({
      id: '7',
      ok: true,
      code: undefined,
    });
    expect(
      responseHead('{"type":"res","id":"8","ok":false,"error":{"code":"RATE_LIMITED","message":"x"}}'),
    ).toEqual({ id: '8', ok: false, code: 'RATE_LIMITED' });
    expect(responseHead('{"ok":false,"id":"9","type":"res","error":{"code":"FORBIDDEN"}}')).toEqual({
      id: '9',
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(responseHead('{"type":"event"}')).toBeNull();
    expect(responseHead('{"type":"res",')).toBeNull();
  });

  it("reads a hello's heartbeat", () => {
    expect(helloHeartbeat('{"type":"hello","heartbeatMs":25000,"heartbeat":"server"}')).toEqual({
      serverDriven: true,
      ms: 25000,
    });
    expect(helloHeartbeat('{"type":"hello","heartbeatMs":0}')).toEqual({
      serverDriven: false,
      ms: undefined,
    });
  });
});
