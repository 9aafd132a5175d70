import { useEffect, useState } from 'react';
import { formatDuration } from './call-store.ts';

/** `mm:ss` since `since` (ms), ticking every second; empty while `since` is null. */
export function useElapsed(since: number | null): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? '' : formatDuration(now - since);
}
