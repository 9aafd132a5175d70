/**
 * The last seq this process saw each conversation at, for sends committed at an expected seq (see
 * claimed-send.ts). A hint, never trusted: the database claims a seq only if the conversation is
 * still at the expected one. Bounded: past `capacity` conversations, the one noted least recently
 * (every committed send notes its conversation) is forgotten; its next send reads the seq again.
 */
export class LastSeqs {
  // A Map iterates in insertion order: re-inserting on every use keeps the least recent first.
  private readonly seqs = new Map<string, number>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
  }

  get size(): number {
    return this.seqs.size;
  }

  get(conversationId: string): number | undefined {
    return this.seqs.get(conversationId);
  }

  /**
   * Note the conversation's last seq, read from the database or just committed. Seqs only grow, so
   * a lower one than already noted (an older read) is ignored.
   */
  note(conversationId: string, seq: number): void {
    const known = this.seqs.get(conversationId);
    if (known !== undefined) {
      this.seqs.delete(conversationId);
      if (known > seq) seq = known;
    }
    this.seqs.set(conversationId, seq);
    if (this.seqs.size > this.capacity) {
      const oldest = this.seqs.keys().next();
      if (!oldest.done) this.seqs.delete(oldest.value);
    }
  }
}
