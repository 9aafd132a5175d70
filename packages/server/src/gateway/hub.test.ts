import { describe, expect, it } from 'vitest';
import { LocalHub, type HubConnection } from './hub.ts';

class Conn implements HubConnection {
  watching: Set<string> | null = null;
  readonly got: string[] = [];
  readonly raw: Array<string | Buffer> = [];
  constructor(
    readonly principal: { userId: string; sessionId: string; role: 'user' },
    private readonly open = true,
  ) {}
  sendText(text: string | Buffer): boolean {
    if (!this.open) return false;
    this.got.push(text.toString());
    this.raw.push(text);
    return true;
  }
}

const conn = (userId: string, sessionId: string, open = true) =>
  new Conn({ userId, sessionId, role: 'user' }, open);

describe('LocalHub', () => {
  it('tells the first and last connection of a user through one, two and back to one device', () => {
    const hub = new LocalHub<Conn>();
    const [phone, desk] = [conn('u', 'phone'), conn('u', 'desk')];
    expect(hub.add(phone)).toBe(true);
    expect(hub.add(desk)).toBe(false);
    expect(hub.connections()).toEqual([phone, desk]);
    expect(hub.remove(phone)).toBe(false);
    expect(hub.has('u')).toBe(true);
    expect(hub.add(phone)).toBe(false);
    expect(hub.remove(desk)).toBe(false);
    expect(hub.remove(phone)).toBe(true);
    expect(hub.has('u')).toBe(false);
    expect(hub.remove(phone)).toBe(false);
    expect(hub.userCount).toBe(0);
  });

  it('delivers one frame to every device except or only one session, counting writes', () => {
    const hub = new LocalHub<Conn>();
    const [phone, desk, other, gone] = [
      conn('u', 'p'),
      conn('u', 'd'),
      conn('v', 'x'),
      conn('w', 'g', false),
    ];
    for (const c of [phone, desk, other, gone]) hub.add(c);
    expect(hub.deliver(['u', 'v', 'w', 'nobody'], 'f1')).toBe(3);
    expect(hub.deliver(['u', 'v'], 'f2', 'p')).toBe(2);
    expect(hub.deliver(['u', 'v'], 'f3', undefined, 'd')).toBe(1);
    expect(phone.got).toEqual(['f1']);
    expect(desk.got).toEqual(['f1', 'f2', 'f3']);
    expect(other.got).toEqual(['f1', 'f2']);
    hub.remove(desk);
    expect(hub.deliver(['u'], 'f4', 'p')).toBe(0);
    expect(hub.sessionConnections('p')).toEqual([phone]);
  });

  it('encodes a frame once: every recipient of a 1,000-member delivery gets the same Buffer', () => {
    const hub = new LocalHub<Conn>();
    const members = Array.from({ length: 1000 }, (_, i) => conn(`m${i}`, `s${i}`));
    for (const m of members) hub.add(m);
    expect(
      hub.deliver(
        members.map((m) => m.principal.userId),
        '{"type":"event"}',
      ),
    ).toBe(1000);
    const first = members[0]?.raw[0];
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(members.every((m) => m.raw.length === 1 && m.raw[0] === first)).toBe(true);
  });

  it('makes the watch set on first use and drops it with the connection', () => {
    const hub = new LocalHub<Conn>();
    const [a, b] = [conn('a', 'sa'), conn('b', 'sb')];
    hub.add(a);
    hub.add(b);
    expect(a.watching).toBeNull();
    hub.watch(a, ['x', 'y']);
    hub.watch(b, ['x']);
    expect([...(a.watching ?? [])]).toEqual(['x', 'y']);
    expect(hub.watchersOf('x')).toEqual([a, b]);
    hub.remove(a);
    expect(a.watching).toBeNull();
    expect(hub.watchersOf('x')).toEqual([b]);
    expect(hub.watchersOf('y')).toEqual([]);
  });
});
