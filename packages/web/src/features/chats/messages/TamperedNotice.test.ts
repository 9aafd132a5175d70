import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildConversation, buildMessage, ME } from '../../../data/test-fixtures.ts';
import en from '../../../i18n/en/chats.ts';
import zh from '../../../i18n/zh-CN/chats.ts';
import type { ItemProps } from './MessageItem.tsx';

// MessageItem's imports reach the app's client, made from the page's location and storage at load.
const storage = new Map<string, string>();
vi.stubGlobal('window', {
  location: { origin: 'http://localhost' },
  localStorage: {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  },
});
const { MessageItem } = await import('./MessageItem.tsx');

/** The bubble of one message, rendered as HTML in `language`. */
async function render(message: ItemProps['entry'], language: 'zh-CN' | 'en'): Promise<string> {
  await i18next.changeLanguage(language);
  return renderToStaticMarkup(
    createElement(MessageItem, {
      entry: message,
      conversation: buildConversation({ id: 'c', kind: 'group' }),
      myId: ME,
      readInfo: null,
      layout: 'desktop',
      onAction: () => undefined,
      onReact: () => undefined,
    }),
  );
}

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { chats: zh }, en: { chats: en } },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
});

describe('a message that failed its integrity check', () => {
  // What the server sends for a tampered row: no content, and the other fields untrusted.
  const tampered = buildMessage({
    conversationId: 'c',
    seq: 7,
    content: null,
    recalledAt: 5,
    integrity: 'tampered',
  });

  it('shows the warning, not a recall notice nor any content', async () => {
    const html = await render({ kind: 'message', message: tampered }, 'zh-CN');
    expect(html).toContain('data-testid="message-tampered"');
    expect(html).toContain('此消息已被篡改');
    expect(html).not.toContain('message-recalled');
    expect(html).toContain('data-seq="7"');
  });

  it('says it in English too', async () => {
    const html = await render({ kind: 'message', message: tampered }, 'en');
    expect(html).toContain('This message failed its integrity check');
  });

  it('leaves an intact message as it was', async () => {
    const intact = buildMessage({ conversationId: 'c', seq: 8, content: { kind: 'text', text: '开会' } });
    const html = await render({ kind: 'message', message: intact }, 'zh-CN');
    expect(html).toContain('开会');
    expect(html).not.toContain('message-tampered');
  });
});
