import type { Redis } from 'ioredis';

/** An entry as the shared level keeps it: the value's bytes and when it stops being fresh, then usable. */
export interface SharedEntry {
  bytes: Buffer;
  /** epoch ms */
  freshUntil: number;
  /** epoch ms: after this the entry is gone */
  staleUntil: number;
  /** kept with the entry, so a process that copies it into memory can still drop it by tag */
  tags: readonly string[];
}

/** What a layered cache needs from its shared (second) level. */
export interface SharedCacheLevel {
  /** undefined on a miss AND when the level is unavailable: a cache never fails because of it */
  get(key: string): Promise<SharedEntry | undefined>;
  set(key: string, entry: SharedEntry): Promise<void>;
  /** drops the tagged entries from the level and tells every process (including this one) */
  invalidateTags(tags: readonly string[]): Promise<void>;
  /** `tags` from another process's invalidation, or 'all' when messages may have been missed (reconnect) */
  onInvalidation(handler: (tags: readonly string[] | 'all') => void): void;
  /** whether the level answered its last command (false while backing off after a failure) */
  readonly healthy: boolean;
  /** whether this process hears other processes' invalidations now (subscribed on a live connection) */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface RedisCacheLevelOptions {
  /** cache name: namespaces keys and the invalidation channel */
  name: string;
  /** the deployment's namespace (REDIS_KEY_PREFIX): keys are `<keyPrefix>:cache:<name>:…`; default `floodgate` */
  keyPrefix?: string;
  /** data connection from createRedisConnection, with a SHORT command timeout (a cache must not wait) */
  redis: Redis;
  /**
   * the connection for writes and invalidations, with an ordinary timeout (default: `redis`): a read may
   * give up quickly, an invalidation that gives up leaves other processes serving the old page
   */
  writer?: Redis;
  /** a second connection for SUBSCRIBE (a subscribed connection can run nothing else) */
  subscriber: Redis;
  /** after a failed command the level is skipped this long, so a hung Redis costs one timeout, not one per request */
  backoffMs?: number;
  /** how long a tag's member set lives; longer than any entry, so an invalidation always finds its entries */
  tagTtlMs?: number;
  now?: () => number;
  /** counts failed commands (`get`, `set`, `invalidate`) */
  onError?: (op: string, err: unknown) => void;
}

// one round trip: every key a tag lists, then the tag itself; keys are not declared, so this needs a
// single Redis (or a cluster hash tag per cache), which is what the platform runs
const INVALIDATE_SCRIPT = `
for _, tag in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', tag)
  for i = 1, #members, 500 do
    redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
  end
  redis.call('DEL', tag)
end
return 0`;

// freshUntil, staleUntil (doubles), the tags' JSON length (uint32), the tags' JSON, then the value's bytes
const HEADER = 20;

function frame(entry: SharedEntry): Buffer {
  const tags = Buffer.from(JSON.stringify(entry.tags));
  const out = Buffer.allocUnsafe(HEADER + tags.length + entry.bytes.length);
  out.writeDoubleBE(entry.freshUntil, 0);
  out.writeDoubleBE(entry.staleUntil, 8);
  out.writeUInt32BE(tags.length, 16);
  tags.copy(out, HEADER);
  entry.bytes.copy(out, HEADER + tags.length);
  return out;
}

function unframe(raw: Buffer): SharedEntry | undefined {
  if (raw.length < HEADER) return undefined;
  const tagsLength = raw.readUInt32BE(16);
  if (raw.length < HEADER + tagsLength) return undefined;
  try {
    const tags = JSON.parse(raw.toString('utf8', HEADER, HEADER + tagsLength)) as string[];
    return { freshUntil: raw.readDoubleBE(0), staleUntil: raw.readDoubleBE(8), tags, bytes: raw.subarray(HEADER + tagsLength) };
  } catch {
    return undefined;
  }
}

/**
 * Redis as the shared level: entries by key with a PX expiry, a set per tag listing its keys, and
 * invalidations announced on a pub/sub channel. Pub/sub rather than the event bus: every process must
 * hear every invalidation (the bus's RabbitMQ queues are shared by a subscriber's processes, each event
 * goes to one of them), a message lost in a disconnect is covered by dropping everything on reconnect,
 * and the entries it protects live for seconds anyway.
 */
export function createRedisCacheLevel(options: RedisCacheLevelOptions): SharedCacheLevel {
  const { name, redis, writer = redis, subscriber, backoffMs = 1_000, tagTtlMs = 10 * 60_000, now = Date.now, onError } = options;
  const prefix = `${options.keyPrefix ?? 'floodgate'}:cache:${name}:`;
  const channel = `${prefix}invalidations`;
  const keyOf = (key: string) => `${prefix}k:${key}`;
  const tagOf = (tag: string) => `${prefix}t:${tag}`;
  let openUntil = 0;
  const handlers: Array<(tags: readonly string[] | 'all') => void> = [];

  const usable = () => redis.status === 'ready' && now() >= openUntil;
  const failed = (op: string, err: unknown) => {
    openUntil = now() + backoffMs;
    onError?.(op, err);
  };

  let subscribed = false;
  // ioredis subscribes again by itself after a reconnect; this first subscription is the one to wait for
  void subscriber.subscribe(channel).then(
    () => (subscribed = true),
    (err: unknown) => onError?.('subscribe', err),
  );
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const tags = JSON.parse(message) as unknown;
      if (Array.isArray(tags)) for (const h of handlers) h(tags.map(String));
    } catch {
      // not ours: ignore
    }
  });
  let connectedBefore = subscriber.status === 'ready';
  subscriber.on('ready', () => {
    // invalidations published while we were away were lost: forget everything this process holds
    if (connectedBefore) for (const h of handlers) h('all');
    connectedBefore = true;
  });

  return {
    get healthy() {
      return usable();
    },
    get listening() {
      return subscribed && subscriber.status === 'ready';
    },
    async get(key) {
      if (!usable()) return undefined;
      try {
        const raw = await redis.getBuffer(keyOf(key));
        return raw ? unframe(raw) : undefined;
      } catch (err) {
        failed('get', err);
        return undefined;
      }
    },
    async set(key, entry) {
      const ttl = Math.ceil(entry.staleUntil - now());
      if (ttl <= 0 || !usable()) return;
      try {
        const multi = writer.multi().set(keyOf(key), frame(entry), 'PX', ttl);
        for (const tag of entry.tags) multi.sadd(tagOf(tag), keyOf(key)).pexpire(tagOf(tag), tagTtlMs);
        await multi.exec();
      } catch (err) {
        failed('set', err);
      }
    },
    async invalidateTags(tags) {
      if (tags.length === 0) return;
      // tried even while backing off: a missed invalidation is worse than one slow write
      try {
        await writer.eval(INVALIDATE_SCRIPT, tags.length, ...tags.map(tagOf));
        await writer.publish(channel, JSON.stringify(tags));
      } catch (err) {
        failed('invalidate', err);
      }
    },
    onInvalidation(handler) {
      handlers.push(handler);
    },
    async close() {
      handlers.length = 0;
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
