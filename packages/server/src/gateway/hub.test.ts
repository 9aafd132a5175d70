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

describe('LocalHub.deliverToAll', () => {
  /** Connections u0..u(n-1) (one each, session s<i>) in a hub writing `maxSlice` of them per turn. */
  function fleet(n: number, maxSlice: number) {
    const hub = new LocalHub<Conn>({ maxSlice });
    const conns = Array.from({ length: n }, (_, i) => conn(`u${i}`, `s${i}`));
    for (const c of conns) hub.add(c);
    return { hub, conns };
  }

  it('writes every connection but the excepted session, a slice per turn of the event loop', async () => {
    const { hub, conns } = fleet(5, 2);
    const desk = conn('u0', 'desk');
    hub.add(desk);
    // Queued once the first slice is written: it runs before the last slice if the loop yields.
    let turnBetweenSlices = false;
    let lastSliceSawTurn: boolean | undefined;
    const spy = conns[0]!;
    spy.sendText = (text) => {
      setImmediate(() => (turnBetweenSlices = true));
      return Conn.prototype.sendText.call(spy, text);
    };
    const last = conns[4]!;
    last.sendText = (text) => {
      lastSliceSawTurn = turnBetweenSlices;
      return Conn.prototype.sendText.call(last, text);
    };

    const result = await hub.deliverToAll('post', 's2');

    expect(result.sent).toBe(5);
    expect(result.slices).toBeGreaterThan(1);
    expect(lastSliceSawTurn).toBe(true);
    expect(conns.map((c) => c.got)).toEqual([['post'], ['post'], [], ['post'], ['post']]);
    expect(desk.got).toEqual(['post']);
  });

  it('keeps frames for everyone in order, and writes owed ones before a later delivery', async () => {
    const { hub, conns } = fleet(7, 2);
    const post = hub.deliverToAll('post');
    const recall = hub.deliverToAll('recall');
    // Emitted after both, to the last connection (its slices come last): it must not overtake them.
    hub.deliver(['u6'], 'read');
    await Promise.all([post, recall]);
    hub.deliver(['u6'], 'later');
    expect(conns.slice(0, 6).map((c) => c.got)).toEqual(conns.slice(0, 6).map(() => ['post', 'recall']));
    expect(conns[6]!.got).toEqual(['post', 'recall', 'read', 'later']);
  });

  it('skips a connection that leaves mid-delivery, and does not write one that joins', async () => {
    const { hub, conns } = fleet(6, 2);
    const tried: string[] = [];
    for (const c of conns) {
      c.sendText = (text) => {
        tried.push(c.principal.userId);
        // The first write takes u4 away (a slow consumer dropped, a socket closed) and brings a newcomer.
        if (c === conns[0]) {
          hub.remove(conns[4]!);
          hub.add(newcomer);
        }
        return Conn.prototype.sendText.call(c, text);
      };
    }
    const newcomer = conn('late', 'late');

    const result = await hub.deliverToAll('post');

    expect(result.sent).toBe(5);
    expect(tried).toEqual(['u0', 'u1', 'u2', 'u3', 'u5']);
    expect(newcomer.got).toEqual([]);
    // Nothing is owed any more: later deliveries go straight out.
    hub.deliver(['late', 'u5'], 'next');
    expect(newcomer.got).toEqual(['next']);
    expect(conns[5]!.got).toEqual(['post', 'next']);
  });

  it('finishes at once with nobody connected', async () => {
    expect(await new LocalHub<Conn>().deliverToAll('post')).toEqual({ sent: 0, slices: 1 });
  });
});
