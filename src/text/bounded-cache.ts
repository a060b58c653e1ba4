/**
 * A memo of at most about `2 * size` entries: two generations, the older dropped whole when the
 * newer fills, and an entry found in the older one moved into the newer. What is used frame after
 * frame stays; what stopped being shown goes. The build gives Ink's text measures and line styles
 * this one in place of their unbounded (or per-frame) maps: a monitor left open for days shows
 * ever new texts (elapsed times), and each would stay in an unbounded map for good.
 */
export class BoundedCache<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();

  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const hit = this.newer.get(key);
    if (hit !== undefined) return hit;
    const old = this.older.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): this {
    if (this.newer.size >= this.size) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
    return this;
  }

  /** Entries held, both generations (a key in both counts twice: an upper bound). */
  get held(): number {
    return this.newer.size + this.older.size;
  }
}

/**
 * `read`, each answer remembered in a BoundedCache of `size` per generation: for parsers that see
 * the same few texts thousands of times (squeue's limits, GRES, ptb's job comments). An answer of
 * undefined is remembered too.
 */
export function memoized<K, V>(size: number, read: (key: K) => V): (key: K) => V {
  const cache = new BoundedCache<K, { value: V }>(size);
  return (key) => {
    let known = cache.get(key);
    if (!known) {
      known = { value: read(key) };
      cache.set(key, known);
    }
    return known.value;
  };
}
