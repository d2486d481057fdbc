/**
 * One pending value per QEMU thread: an H_INT_ESB waiting for the ESB access
 * QEMU traces inside it, an accept's check waiting for the TIMA load it
 * happened in. A taken value leaves its entry null rather than deleting it (a
 * Map that shrinks and grows on every accept rehashes), and a count of held
 * values lets the common case, nothing pending, skip the lookup.
 */
export class PendingPerThread<T extends object> {
  private readonly byThread = new Map<number, T | null>();
  private held = 0;

  /** Holds `value` for `tid`, replacing one not taken yet. */
  put(tid: number, value: T): void {
    if (this.byThread.get(tid)) this.held--;
    this.byThread.set(tid, value);
    this.held++;
  }

  /** The value held for `tid`, no longer held; undefined when none is. */
  take(tid: number): T | undefined {
    if (this.held === 0) return undefined;
    const value = this.byThread.get(tid);
    if (!value) return undefined;
    this.byThread.set(tid, null);
    this.held--;
    return value;
  }

  /** Every value still held, in the order their threads first held one; then none is. */
  takeAll(): T[] {
    const out: T[] = [];
    for (const value of this.byThread.values()) if (value) out.push(value);
    this.byThread.clear();
    this.held = 0;
    return out;
  }
}
