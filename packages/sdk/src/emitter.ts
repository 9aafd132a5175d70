/** A listener of one event of an event map. */
export type Listener<T> = (payload: T) => void;

/** Removes the listener it was returned for. */
export type Unsubscribe = () => void;

/**
 * A typed event emitter: event names and payloads come from the map `M`, never free strings.
 * A listener that throws does not stop the others or the SDK; its error is reported asynchronously
 * (as a DOM EventTarget does) unless `onListenerError` says otherwise.
 */
export class TypedEmitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (err: unknown) => void = rethrowLater) {}

  /**
   * Listen to an event.
   *
   * @example
   * const off = emitter.on('state', (s) => console.log(s));
   * off();
   */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  /** Listen to the next occurrence only. @example emitter.once('hello', (h) => use(h)); */
  once<K extends keyof M>(event: K, listener: Listener<M[K]>): Unsubscribe {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<M[K]>)(payload);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  listenerCount<K extends keyof M>(event: K): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }
}

function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}
