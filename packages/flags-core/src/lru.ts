/**
 * What an Lru holds. Entries carry their own keys and links (an intrusive list), so a cache hit reads
 * one object instead of a node and then the value it points to.
 */
export class LruEntry {
  /** Eviction queue. */
  prev: LruEntry | null = null;
  next: LruEntry | null = null;
  /** Used since eviction last passed over it: it gets a second chance. */
  used = false;
  /** The same outer key's other entries (a user in other workspaces): usually none. */
  sibling: LruEntry | null = null;
  constructor(
    readonly outer: string,
    readonly inner: string,
  ) {}
}

/**
 * A cache of about the most recently used entries, keyed by two strings (a user and a workspace), with
 * CLOCK's second chance instead of strict LRU order: a hit sets the entry's `used` bit and moves
 * nothing, and eviction passes used entries over once (clearing the bit, to the back of the queue).
 * Moving an entry to the front on every hit touched its neighbours, two cache misses that cost ~10 % of
 * an evaluation among 10,000 users. Indexed by the outer key alone, with a short chain per outer key,
 * because building a combined key costs more than the rest of a cached evaluation.
 */
export class Lru<E extends LruEntry> {
  private readonly index = new Map<string, E>();
  /** Next in line for eviction. */
  private head: E | null = null;
  /** Last added or passed over. */
  private tail: E | null = null;
  private count = 0;

  constructor(
    readonly max: number,
    /** Told of each entry that leaves (evicted, replaced or deleted). */
    private readonly onRemove?: (entry: E) => void,
  ) {}

  get size(): number {
    return this.count;
  }

  get(outer: string, inner: string): E | undefined {
    const entry = this.find(outer, inner);
    if (entry === null) return undefined;
    entry.used = true;
    return entry;
  }

  /** Reads without counting as a use. */
  peek(outer: string, inner: string): E | undefined {
    return this.find(outer, inner) ?? undefined;
  }

  /** Adds `entry` at the back of the queue, replacing any entry with the same keys. */
  set(entry: E): void {
    const existing = this.find(entry.outer, entry.inner);
    if (existing !== null) this.remove(existing);
    if (this.max <= 0) return;
    // Room first, so the newcomer is never the one evicted.
    while (this.count >= this.max && this.head !== null) this.evictOne();
    entry.sibling = this.index.get(entry.outer) ?? null;
    entry.used = false;
    this.index.set(entry.outer, entry);
    this.append(entry);
    this.count++;
  }

  /** Removes the first entry not used since eviction last passed it; used ones go to the back, unmarked. */
  private evictOne(): void {
    let entry = this.head;
    while (entry !== null && entry.used) {
      entry.used = false;
      this.unlink(entry);
      this.append(entry);
      entry = this.head;
    }
    if (entry !== null) this.remove(entry);
  }

  delete(outer: string, inner: string): boolean {
    const entry = this.find(outer, inner);
    if (entry !== null) this.remove(entry);
    return entry !== null;
  }

  /** Visits every entry, or with `outer` only that key's entries, without counting as a use. */
  forEach(visit: (entry: E) => void, outer?: string): void {
    if (outer !== undefined) {
      for (let entry = this.index.get(outer) ?? null; entry !== null; entry = entry.sibling as E | null) visit(entry);
      return;
    }
    for (let entry = this.head; entry !== null; entry = entry.next as E | null) visit(entry);
  }

  /** Keys in eviction order: the next to go first (an entry used since then still gets its second chance). */
  keys(): Array<[outer: string, inner: string]> {
    const keys: Array<[string, string]> = [];
    this.forEach((entry) => keys.push([entry.outer, entry.inner]));
    return keys;
  }

  clear(): void {
    if (this.onRemove) this.forEach(this.onRemove);
    this.index.clear();
    this.head = this.tail = null;
    this.count = 0;
  }

  private find(outer: string, inner: string): E | null {
    let entry: LruEntry | null = this.index.get(outer) ?? null;
    while (entry !== null && entry.inner !== inner) entry = entry.sibling;
    return entry as E | null;
  }

  private remove(entry: E): void {
    this.unlink(entry);
    const first = this.index.get(entry.outer);
    if (first === entry) {
      if (entry.sibling === null) this.index.delete(entry.outer);
      else this.index.set(entry.outer, entry.sibling as E);
    } else {
      let before: LruEntry | null = first ?? null;
      while (before !== null && before.sibling !== entry) before = before.sibling;
      if (before !== null) before.sibling = entry.sibling;
    }
    entry.sibling = null;
    this.count--;
    this.onRemove?.(entry);
  }

  private unlink(entry: E): void {
    if (entry.prev === null) this.head = entry.next as E | null;
    else entry.prev.next = entry.next;
    if (entry.next === null) this.tail = entry.prev as E | null;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = null;
  }

  private append(entry: E): void {
    entry.prev = this.tail;
    if (this.tail === null) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
  }
}
