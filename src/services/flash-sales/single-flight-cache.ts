export interface SingleFlightCache<T> {
  /** the value loaded at most `maxAgeMs` ago, or the load in flight, or a new load */
  get(key: string): Promise<T>;
  /** the value a finished load gave at most `maxAgeMs` ago, else undefined (no load starts): for synchronous readers */
  peek(key: string): T | undefined;
  /** the next get loads again (this process changed the value) */
  forget(key: string): void;
}

export interface SingleFlightCacheOptions<T> {
  load: (key: string) => Promise<T>;
  maxAgeMs: number;
  /** injected so tests move time instead of sleeping */
  now: () => number;
  /** entries kept at most; the oldest goes first (ids nobody asks for again must not pile up) */
  maxEntries?: number;
}

/**
 * A per-process memo for hot reads: every caller within `maxAgeMs` of a load shares its answer,
 * and callers arriving while a load runs wait for that one load (single flight), so N polls cost
 * one read per key per `maxAgeMs`, not N. A failed load is not kept: the next caller tries again.
 */
export function createSingleFlightCache<T>({ load, maxAgeMs, now, maxEntries = 10_000 }: SingleFlightCacheOptions<T>): SingleFlightCache<T> {
  const entries = new Map<string, { at: number; value: Promise<T>; settled?: { value: T } }>();
  return {
    peek(key) {
      const entry = entries.get(key);
      return entry?.settled && now() - entry.at < maxAgeMs ? entry.settled.value : undefined;
    },
    get(key) {
      const at = now();
      const held = entries.get(key);
      if (held && at - held.at < maxAgeMs) return held.value;
      const value = load(key);
      entries.delete(key);
      const entry: { at: number; value: Promise<T>; settled?: { value: T } } = { at, value };
      entries.set(key, entry);
      value.then((loaded) => void (entry.settled = { value: loaded }), () => {});
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    forget: (key) => void entries.delete(key),
  };
}
