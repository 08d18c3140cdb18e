// Shared with the edge runtime (the middleware reads the refresh cookie): no dependency.
/**
 * A Map that holds at most `limit` entries, forgetting the oldest insertion when full. The process-local caches of
 * verified credentials use it: a flood of distinct tokens can cost a little speed, never unbounded memory.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.limit) {
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, value);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
