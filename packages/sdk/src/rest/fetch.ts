/** What the SDK passes to `fetch`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The part of a fetch `Response` the SDK reads. */
export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A `fetch` function: the global one in browsers and Node 18+, or any compatible implementation. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** The runtime's fetch, called unbound (browsers refuse `fetch` called on another object). */
export function globalFetch(): FetchLike {
  return (url, init) => {
    if (typeof globalThis.fetch !== 'function')
      throw new TypeError('no global fetch: pass `fetch` in the options');
    return globalThis.fetch(url, init);
  };
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
