/**
 * Fixed-capacity buffer of the most recent items. Traces, errors and events of a run are kept
 * under caps so memory stays flat however long the file is; `seen` keeps counting after the
 * oldest items are evicted, so the report can say "kept 1,000 of 48,213".
 *
 * The backing array grows up to `capacity` and is then overwritten in place (no shifting), so
 * a run that keeps ten items does not pay for ten thousand slots.
 */
export class Ring<T> {
  readonly capacity: number;
  private items: T[] = [];
  /** Once full: the slot of the oldest item, which the next push overwrites. */
  private head = 0;
  private total = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`Ring capacity must be a whole number >= 0, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  push(item: T): void {
    this.total++;
    const items = this.items;
    if (items.length < this.capacity) {
      items.push(item);
      return;
    }
    if (this.capacity === 0) return;
    items[this.head] = item;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
  }

  /**
   * Counts `n` items as pushed and gone without keeping them: those another ring (a piece of the
   * run) evicted before handing over its most recent ones, which are pushed right after.
   */
  skip(n: number): void {
    if (n > 0) this.total += n;
  }

  /** Items kept now. */
  get size(): number {
    return this.items.length;
  }

  /** Items ever pushed since construction (or the last clear), evicted ones included. */
  get seen(): number {
    return this.total;
  }

  /** A copy, oldest first. */
  toArray(): T[] {
    const { items, head } = this;
    if (head === 0) return items.slice();
    const out = new Array<T>(items.length);
    let j = 0;
    for (let i = head; i < items.length; i++) out[j++] = items[i];
    for (let i = 0; i < head; i++) out[j++] = items[i];
    return out;
  }

  /**
   * The kept items pushed after the first `seen` ones, oldest first: what is new since a
   * reader last looked (items evicted in between are gone; `this.seen - seen` says how many came).
   */
  since(seen: number): T[] {
    const fresh = Math.min(this.total - seen, this.items.length);
    if (fresh <= 0) return [];
    const all = this.toArray();
    return all.slice(all.length - fresh);
  }

  /** Forgets the items and the seen count: a fresh start, e.g. for a new run. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.total = 0;
  }
}
