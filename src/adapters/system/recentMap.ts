/**
 * A map bounded to `capacity` entries, and optionally to a total weight (each value weighed by
 * `weigh`: entries that vary in size are bounded by what they hold, not only by their number). The
 * least recently used goes first. Per process. Keys are strings, or objects compared by identity.
 */
export class RecentMap<V, K = string> {
  private readonly entries = new Map<K, V>();
  private weight = 0;

  constructor(
    private readonly capacity: number,
    private readonly limit?: { readonly maxWeight: number; readonly weigh: (value: V) => number },
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Most recently used goes last, so the first key is always the one to drop.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.limit?.weigh(value) ?? 0;
    // Heavier than the whole limit: it could never be kept, and must not push every other out first.
    if (this.limit && weight > this.limit.maxWeight) return;
    this.entries.set(key, value);
    this.weight += weight;
    while (this.entries.size > this.capacity || (this.limit && this.weight > this.limit.maxWeight)) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.weight -= this.limit?.weigh(value) ?? 0;
  }
}
