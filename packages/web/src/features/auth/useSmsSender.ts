import type { SmsPurpose } from '@zhixin/sdk';
import { ZhixinError } from '@zhixin/sdk';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../../app/client.ts';
import { waitSecondsOf } from './errors.ts';
import { normalizePhone } from './phone.ts';

/** The resend wait when the server does not name one. */
const DEFAULT_WAIT_SECONDS = 60;
/** Longer waits (the daily limit) are only told in the error, not counted down on the button. */
const MAX_COUNTDOWN_SECONDS = 600;

export interface SmsSender {
  /** Seconds until another code may be asked for; 0 when the button is free. */
  remaining: number;
  sending: boolean;
  /** Ask for a code; resolves to the failure, if any (the countdown starts either way when known). */
  send: (phone: string) => Promise<unknown>;
}

/** The "send code" button's state: one request at a time, then a countdown (60 s or the server's). */
export function useSmsSender(purpose: SmsPurpose): SmsSender {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (until <= Date.now()) return;
    const timer = window.setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= until) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [until]);

  const send = useCallback(
    async (phone: string) => {
      setSending(true);
      try {
        const { retryAfterSeconds } = await client.auth.sendSmsCode(normalizePhone(phone), purpose);
        const started = Date.now();
        setNow(started);
        setUntil(started + (retryAfterSeconds > 0 ? retryAfterSeconds : DEFAULT_WAIT_SECONDS) * 1000);
        return null;
      } catch (err) {
        const wait = err instanceof ZhixinError && err.isRateLimited() ? waitSecondsOf(err) : undefined;
        if (wait !== undefined && wait <= MAX_COUNTDOWN_SECONDS) {
          const started = Date.now();
          setNow(started);
          setUntil(started + wait * 1000);
        }
        return err;
      } finally {
        setSending(false);
      }
    },
    [purpose],
  );

  return { remaining: Math.max(0, Math.ceil((until - now) / 1000)), sending, send };
}
