/** One generation: the recipient lists noted, and their users once someone asked. */
interface Generation {
  readonly startedAt: number;
  /** Each list once, by identity: a group's member list (cached by the membership cache) comes back for every message. */
  readonly lists: Set<readonly string[]>;
  /** Lists not yet read into `users`. */
  readonly pending: Array<readonly string[]>;
  readonly users: Set<string>;
  /** An event went to every user (a channel post): any user counts as noted. */
  everyone: boolean;
}

const generation = (startedAt: number): Generation => ({
  startedAt,
  lists: new Set(),
  pending: [],
  users: new Set(),
  everyone: false,
});

/**
 * The users this node routed a synced event to lately (whether or not the directory placed them
 * anywhere), kept for between `spanMs` and twice that: two generations, the older one dropped as a
 * whole when the newer one is `spanMs` old.
 *
 * Why: another node announces a user's new connection up to one presence batch plus a broker hop
 * after the client got `hello` and started its catch-up. An event routed here in that window went
 * to the nodes the user was on before (or nowhere), not to the new connection, and that
 * connection's catch-up may have read the store before the event's data was there. When the
 * announcement arrives, the users noted here are told to sync again (see `sync.hint.v1`).
 *
 * Noting costs one Set lookup per event, not one per recipient: the recipient lists themselves are
 * kept (by identity, so a 1,000-member group's cached list is kept once however many messages it
 * gets) and read into a Set of users only when an announcement asks. Lists must not be changed
 * after being passed to an EventSink (its `readonly` contract).
 */
export class RecentRecipients {
  private current: Generation;
  private previous: Generation;

  constructor(
    /** Every user noted is remembered at least this long. */
    private readonly spanMs = 1000,
    /** A generation with this many lists is retired early: memory stays bounded in any storm. */
    private readonly maxLists = 100_000,
    now = Date.now(),
  ) {
    this.current = generation(now);
    this.previous = generation(now);
  }

  /** Remember the recipients of one event routed now. */
  note(recipients: readonly string[], now: number): void {
    if (now - this.current.startedAt >= this.spanMs || this.current.lists.size >= this.maxLists)
      this.rotate(now);
    const { lists, pending } = this.current;
    if (lists.has(recipients)) return;
    lists.add(recipients);
    pending.push(recipients);
  }

  /** Remember that an event routed now went to every user. */
  noteEveryone(now: number): void {
    if (now - this.current.startedAt >= this.spanMs) this.rotate(now);
    this.current.everyone = true;
  }

  /** Of these users, the ones noted lately. */
  find(userIds: readonly string[], now: number): string[] {
    if (now - this.current.startedAt >= this.spanMs) this.rotate(now);
    if (this.current.everyone || this.previous.everyone) return [...userIds];
    const found: string[] = [];
    if (this.current.lists.size === 0 && this.previous.lists.size === 0) return found;
    const { current, previous } = this;
    for (const gen of [current, previous]) {
      for (const list of gen.pending) for (const userId of list) gen.users.add(userId);
      gen.pending.length = 0;
    }
    for (const userId of userIds)
      if (current.users.has(userId) || previous.users.has(userId)) found.push(userId);
    return found;
  }

  /** Recipient lists remembered now. */
  get lists(): number {
    return this.current.lists.size + this.previous.lists.size;
  }

  private rotate(now: number): void {
    // A generation older than two spans (nothing was routed meanwhile) is not kept either.
    this.previous = now - this.current.startedAt >= 2 * this.spanMs ? generation(now) : this.current;
    this.current = generation(now);
  }
}
