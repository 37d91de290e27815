/**
 * The cache port for shared, rendered answers (catalog pages): one interface whether the process keeps
 * them in memory only (all-in-one) or in memory in front of Redis (REDIS_URL set). Entries carry tags
 * (`product:<id>`, `catalog-lists`), and invalidating a tag drops every entry that carried it in EVERY
 * process, so a page that contained a changed product is never served after the change is announced.
 */
export interface Loaded<V> {
  value: V;
  /** what the value was built from: an invalidation of any of these drops it */
  tags?: readonly string[];
}

export interface TaggedCache<V> {
  readonly name: string;
  /**
   * A fresh value; or a stale one still within its grace period while ONE background load refreshes it;
   * or, on a miss in every level, `load()`'s result. Concurrent misses of one key share one load per
   * process. Loader errors reach every waiter and are not cached; a level that fails (Redis down, slow)
   * is skipped, never an error for the caller.
   */
  getOrLoad(key: string, load: () => Promise<Loaded<V>>): Promise<V>;
  /**
   * The value while it is fresh in this process's level, else undefined: no load, no shared-level lookup,
   * no waiting. For readers that must answer synchronously (the HTTP fast lane) and fall back to getOrLoad.
   * With `stale: true`, a value past its ttl but within its grace is returned too, marked stale: the reader
   * serves it as getOrLoad would, and calls getOrLoad to start the one background refresh.
   */
  peek(key: string): V | undefined;
  peek(key: string, options: { stale: true }): { value: V; stale: boolean } | undefined;
  /** drops every entry tagged with any of `tags`, here and in every other process sharing the cache */
  invalidateTags(tags: readonly string[]): Promise<void>;
  /** entries and bytes held in this process (the in-process level) */
  stats(): { entries: number; bytes: number };
  close(): Promise<void>;
}

/** Turns a value into bytes for a shared level (Redis) and back. */
export interface CacheCodec<V> {
  encode(value: V): Buffer;
  decode(bytes: Buffer): V;
  /** bytes the value holds in memory, for the in-process level's byte bound */
  sizeOf(value: V): number;
}

export const jsonCodec = <V>(): CacheCodec<V> => ({
  encode: (value) => Buffer.from(JSON.stringify(value)),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')) as V,
  sizeOf: (value) => Buffer.byteLength(JSON.stringify(value)) + 64,
});
