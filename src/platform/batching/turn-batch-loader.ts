import DataLoader from 'dataloader';

export interface TurnBatchLoader<K, V> {
  /** the value of `key`, loaded together with every other key asked for in this turn of the event loop */
  load(key: K): Promise<V>;
}

/**
 * Lookups of one kind made during one turn of the event loop — by one request or by every request whose
 * data arrived in that turn — go to their source as ONE call (DataLoader, scheduled with setImmediate
 * rather than its default next tick: the handlers of requests that arrive together run in separate I/O
 * callbacks, and only setImmediate waits for all of them). No caching here: callers put their own TTL
 * cache in front, so a figure is never older than they allow.
 *
 * `loadMany` answers the keys it knows; a key missing from its answer gets `missing`. A failed call
 * rejects every key of its batch. `maxBatchSize` keeps one call's key list (and, over HTTP, its query)
 * bounded when many requests miss together.
 */
export function createTurnBatchLoader<K, V>(
  loadMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
  { missing, maxBatchSize = 500 }: { missing: V; maxBatchSize?: number },
): TurnBatchLoader<K, V> {
  const loader = new DataLoader<K, V>(
    async (keys) => {
      const found = await loadMany(keys);
      return keys.map((key) => (found.has(key) ? found.get(key)! : missing));
    },
    { cache: false, maxBatchSize, batchScheduleFn: (send) => setImmediate(send) },
  );
  return { load: (key) => loader.load(key) };
}
