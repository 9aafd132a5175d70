import { LocalStorageAdapter, ZhixinClient } from '@zhixin/sdk';

/**
 * The one SDK client of this tab. Everything the web client says to the server goes through it
 * (ESLint forbids raw fetch and WebSocket in src/). The session, device id and sync cursors live
 * in localStorage, so a reload resumes the same device and session.
 */
export const client = new ZhixinClient({
  baseUrl: window.location.origin,
  storage: new LocalStorageAdapter(window.localStorage),
});
