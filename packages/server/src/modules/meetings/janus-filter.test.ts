import { describe, expect, it } from 'vitest';
import { filterClientFrame, ProxyState, type ProxyGrant } from './janus-filter.ts';

const grant: ProxyGrant = { room: 7, feedId: 11, screenFeedId: 12, display: 'Alice' };
const secrets = { token: 'tok', pin: 'pin' };

function connected(): ProxyState {
  const state = new ProxyState();
  expect(filterClientFrame({ janus: 'create', transaction: 't1' }, grant, state, secrets)).toMatchObject({
    ok: true,
  });
  state.observe({ janus: 'success', transaction: 't1', data: { id: 100 } });
  const attach = { janus: 'attach', transaction: 't2', session_id: 100, plugin: 'janus.plugin.videoroom' };
  expect(filterClientFrame(attach, grant, state, secrets)).toMatchObject({ ok: true });
  state.observe({ janus: 'ack', transaction: 't2' });
  state.observe({ janus: 'success', transaction: 't2', data: { id: 200 } });
  return state;
}

const message = (body: Record<string, unknown>) => ({
  janus: 'message',
  transaction: 'm',
  session_id: 100,
  handle_id: 200,
  body,
});

describe('the proxy filter', () => {
  it('adds the token, and the pin and granted display on joins', () => {
    const state = connected();
    const res = filterClientFrame(
      message({ request: 'join', ptype: 'publisher', room: 7, id: 12, display: 'Mallory' }),
      grant,
      state,
      secrets,
    );
    expect(res).toEqual({
      ok: true,
      frame: {
        ...message({}),
        token: 'tok',
        body: { request: 'join', ptype: 'publisher', room: 7, id: 12, display: 'Alice', pin: 'pin' },
      },
    });
    const sub = filterClientFrame(
      message({ request: 'join', ptype: 'subscriber', room: 7, streams: [{ feed: 5 }] }),
      grant,
      state,
      secrets,
    );
    expect(sub).toMatchObject({ ok: true, frame: { body: { pin: 'pin' } } });
    const layer = filterClientFrame(
      message({ request: 'configure', substream: 0, temporal: 1 }),
      grant,
      state,
      secrets,
    );
    expect(layer).toMatchObject({ ok: true, frame: { body: { substream: 0, temporal: 1 } } });
  });

  it('refuses room management, other rooms, feeds, sessions and handles, and malformed frames', () => {
    const state = connected();
    for (const body of [
      { request: 'create' },
      { request: 'destroy', room: 7 },
      { request: 'kick', room: 7, id: 11 },
      { request: 'moderate', room: 7, id: 11 },
      { request: 'list' },
      { request: 'join', ptype: 'publisher', room: 8, id: 11 },
      { request: 'join', ptype: 'publisher', room: 7, id: 13 },
      { request: 'join', ptype: 'admin', room: 7 },
      { request: 'configure', secret: 'x' },
      { request: 'publish', record: true, filename: '/tmp/x' },
    ]) {
      expect(filterClientFrame(message(body), grant, state, secrets).ok, JSON.stringify(body)).toBe(false);
    }
    expect(
      filterClientFrame({ ...message({ request: 'leave' }), handle_id: 201 }, grant, state, secrets).ok,
    ).toBe(false);
    expect(
      filterClientFrame({ ...message({ request: 'leave' }), session_id: 101 }, grant, state, secrets).ok,
    ).toBe(false);
    expect(
      filterClientFrame(
        { janus: 'attach', transaction: 'x', session_id: 100, plugin: 'janus.plugin.sip' },
        grant,
        state,
        secrets,
      ).ok,
    ).toBe(false);
    for (const frame of [
      null,
      'text',
      { janus: 'create' },
      { janus: 'info', transaction: 'i' },
      { janus: 'message', transaction: 'm', session_id: 100, handle_id: 200 },
    ]) {
      expect(filterClientFrame(frame, grant, state, secrets).ok).toBe(false);
    }
    expect(
      filterClientFrame(
        { janus: 'trickle', transaction: 'c', session_id: 100, handle_id: 200, candidate: {} },
        grant,
        state,
        secrets,
      ).ok,
    ).toBe(true);
  });

  it('learns which audio mids a publisher handle publishes, for host mutes', () => {
    const state = connected();
    filterClientFrame(
      message({ request: 'join', ptype: 'publisher', room: 7, id: 11 }),
      grant,
      state,
      secrets,
    );
    const configured = {
      janus: 'event',
      sender: 200,
      plugindata: {
        plugin: 'janus.plugin.videoroom',
        data: {
          videoroom: 'event',
          configured: 'ok',
          streams: [
            { type: 'audio', mindex: 0, mid: '0', codec: 'opus' },
            { type: 'video', mindex: 1, mid: '1', codec: 'vp9' },
          ],
        },
      },
    };
    expect(state.publishedAudio(configured)).toEqual({ feedId: 11, mids: ['0'] });
    expect(state.publishedAudio({ ...configured, sender: 999 })).toBeNull();
    expect(
      state.publishedAudio({ janus: 'event', sender: 200, plugindata: { data: { videoroom: 'joined' } } }),
    ).toBeNull();
  });

  it('limits sessions per connection', () => {
    const state = new ProxyState();
    for (let i = 0; i < 4; i++) {
      expect(filterClientFrame({ janus: 'create', transaction: `c${i}` }, grant, state, secrets).ok).toBe(
        true,
      );
      state.observe({ janus: 'success', transaction: `c${i}`, data: { id: i + 1 } });
    }
    expect(filterClientFrame({ janus: 'create', transaction: 'c9' }, grant, state, secrets).ok).toBe(false);
  });
});
