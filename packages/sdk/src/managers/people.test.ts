import type { ClientSettings, Contact, Preferences } from '@zhixin/protocol';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZhixinClient } from '../client.ts';
import { ExponentialBackoffPolicy } from '../realtime/reconnect-policy.ts';
import { MemoryStorage } from '../storage/storage.ts';
import { FakeError, FakeServer } from '../testing/fake-server.ts';
import { waitFor } from '../testing/fixtures.ts';

let server: FakeServer;
let client: ZhixinClient;

const profile = { id: 'u_alice', nickname: 'Alice', avatarFileId: null, signature: '', account: null };
const contact = (remark = ''): Contact => ({
  userId: 'u_alice',
  remark,
  profile,
  createdAt: 1,
  updatedAt: 2,
});
const preferences: Preferences = {
  fontSize: 'large',
  language: 'en',
  notifications: { enabled: true, sound: false, showPreview: true },
};
const settings: ClientSettings = {
  productName: '致信',
  launch: { enabled: true, imageId: null, text: '', durationMs: 0 },
  welcome: { enabled: true, imageId: null, title: '致信', text: '欢迎' },
  registrationOpen: false,
};

beforeEach(async () => {
  server = new FakeServer();
  const baseUrl = await server.start();
  client = new ZhixinClient({
    baseUrl,
    WebSocket,
    storage: new MemoryStorage(),
    reconnectPolicy: new ExponentialBackoffPolicy({ baseMs: 20, maxMs: 60 }),
  });
});

afterEach(async () => {
  await client.close();
  await server.stop();
});

async function connect(): Promise<void> {
  const synced = new Promise<void>((resolve) => client.once('sync.completed', () => resolve()));
  await client.auth.loginPassword('13800138000', 'correct horse');
  await client.connect();
  await synced;
}

describe('client.contacts', () => {
  it('lists, adds, renames and removes contacts with the protocol bodies', async () => {
    server.handlers.set('contacts.list', () => ({ contacts: [contact('同事')] }));
    server.handlers.set('contacts.add', (b) => contact(typeof b.remark === 'string' ? b.remark : ''));
    server.handlers.set('contacts.setRemark', (b) => contact(String(b.remark)));
    server.handlers.set('contacts.remove', () => ({ ok: true }));
    await connect();

    expect(await client.contacts.list()).toEqual([contact('同事')]);
    expect(await client.contacts.add('u_alice')).toEqual(contact());
    expect(await client.contacts.add('u_alice', '老王')).toEqual(contact('老王'));
    expect(await client.contacts.setRemark('u_alice', '')).toEqual(contact(''));
    await expect(client.contacts.remove('u_alice')).resolves.toBeUndefined();

    const bodies = server.seen.filter((r) => r.op.startsWith('contacts.')).map((r) => [r.op, r.via, r.body]);
    expect(bodies).toEqual([
      ['contacts.list', 'ws', {}],
      ['contacts.add', 'ws', { userId: 'u_alice' }],
      ['contacts.add', 'ws', { userId: 'u_alice', remark: '老王' }],
      ['contacts.setRemark', 'ws', { userId: 'u_alice', remark: '' }],
      ['contacts.remove', 'ws', { userId: 'u_alice' }],
    ]);
  });

  it('rejects with the server error code', async () => {
    server.handlers.set('contacts.add', () => {
      throw new FakeError('CONTACT_SELF');
    });
    await client.auth.loginPassword('13800138000', 'correct horse');
    await expect(client.contacts.add('u_me')).rejects.toMatchObject({ code: 'CONTACT_SELF', status: 400 });
  });

  it('re-emits contact and preference events from my other devices', async () => {
    await connect();
    const updated: Contact[] = [];
    const removed: string[] = [];
    const prefs: Preferences[] = [];
    client.on('contact.updated', (c) => updated.push(c));
    client.on('contact.removed', ({ userId }) => removed.push(userId));
    client.on('preferences.updated', (p) => prefs.push(p));
    server.push('contact.updated.v1', contact('新备注'));
    server.push('contact.removed.v1', { userId: 'u_bob' });
    server.push('preferences.updated.v1', preferences);
    await waitFor(() => prefs.length > 0, 2000, 'preferences event');
    expect(updated).toEqual([contact('新备注')]);
    expect(removed).toEqual(['u_bob']);
    expect(prefs).toEqual([preferences]);
  });
});

describe('client.users preferences and images', () => {
  it('reads and patches preferences', async () => {
    server.handlers.set('users.preferences', () => preferences);
    server.handlers.set('users.updatePreferences', (b) => ({ ...preferences, ...b }));
    await client.auth.loginPassword('13800138000', 'correct horse');
    expect(await client.users.preferences()).toEqual(preferences);
    expect(await client.users.updatePreferences({ fontSize: 'small' })).toEqual({
      ...preferences,
      fontSize: 'small',
    });
    expect(server.seen.find((r) => r.op === 'users.updatePreferences')?.body).toEqual({ fontSize: 'small' });
  });

  it('uploads images over REST even when connected (frames are too small for them)', async () => {
    server.handlers.set('images.upload', () => ({ id: 'IMG1', url: '/api/v1/images/IMG1' }));
    await connect();
    expect(await client.users.uploadImage('image/png', 'iVBORw0KGgo=')).toEqual({
      id: 'IMG1',
      url: '/api/v1/images/IMG1',
    });
    expect(server.seen.filter((r) => r.op === 'images.upload')).toEqual([
      expect.objectContaining({ via: 'rest', body: { mime: 'image/png', dataBase64: 'iVBORw0KGgo=' } }),
    ]);
  });
});

describe('client.settings', () => {
  it('reads the client settings without a session', async () => {
    server.handlers.set('settings.client', () => settings);
    expect(await client.settings.client()).toEqual(settings);
    expect(server.seen.find((r) => r.op === 'settings.client')?.authorization).toBeUndefined();
  });

  it('sends a partial update and returns the whole settings', async () => {
    server.handlers.set('settings.updateClient', (b) => ({ ...settings, ...b }));
    await client.auth.loginPassword('13800138000', 'correct horse');
    const next = await client.settings.updateClient({ productName: '致信 Pro' });
    expect(next.productName).toBe('致信 Pro');
    expect(server.seen.find((r) => r.op === 'settings.updateClient')?.body).toEqual({
      productName: '致信 Pro',
    });
  });
});
