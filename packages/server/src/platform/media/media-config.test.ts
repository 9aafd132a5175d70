import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from '../../config.ts';

describe('the media configuration', () => {
  it('takes a Janus pool from the config file and never shows its secrets', () => {
    const config = loadConfig({
      env: { ZX_MEDIA_TURN_SECRET: 'turn-secret', ZX_MEDIA_TURN_URLS: 'turn:a:3478,turn:b:3478' },
      file: '',
      overrides: {
        media: {
          janus: [
            {
              id: 'j1',
              wsUrl: 'ws://10.0.0.5:8188',
              adminUrl: 'ws://10.0.0.5:7188',
              adminSecret: 'admin-pw',
            },
          ],
        },
      },
    });
    expect(config.media.turn.urls).toEqual(['turn:a:3478', 'turn:b:3478']);
    expect(config.media.embeddedJanus).toBe('auto');
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('admin-pw');
    expect(shown).not.toContain('turn-secret');
    expect(shown).toContain('ws://10.0.0.5:8188');
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ env: { ZX_MEDIA_EMBEDDED_JANUS: 'sometimes' }, file: '' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ env: { ZX_CALLS_RING_SECONDS: '0' }, file: '' })).toThrow(/calls\.ringSeconds/);
  });
});
