import { readFileSync } from 'node:fs';
import { ReplyError, type ChainableCommander, type Redis } from 'ioredis';
import { CART_LIMITS } from '../cart-limits.js';
import { CartsErrors } from '../errors.js';
import type { CartChangeFailure, CartRecord } from './cart-store.js';
import type { ApplyOutcome, CartChange, CartWorkingCopy, DueCart, WorkingCart } from './cart-working-copy.js';

export interface RedisCartWorkingCopyOptions {
  /** a connection from createRedisConnection; its owner closes it */
  redis: Redis;
  /** before every key (REDIS_KEY_PREFIX + ':'); no braces: the cart's key is hash-tagged `{cart:<id>}` */
  keyPrefix: string;
  /** how long an untouched cart stays in Redis (it is read back from PostgreSQL after) */
  ttlMs?: number;
}

const SCRIPTS = ['cart-apply', 'cart-populate', 'carts-claim', 'carts-release'] as const;
type Script = (typeof SCRIPTS)[number];
// read beside this module: src/ under tsx and vitest, dist/ after `npm run build` (which copies .lua)
const source = (name: Script) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
const commandName = (script: Script) => `floodgateCarts_${script.replace('-', '_')}`;

/** the cart as JSON in Redis: dates as ISO strings */
interface StoredCart extends Omit<CartRecord, 'createdAt' | 'updatedAt' | 'items'> {
  createdAt: string;
  updatedAt: string;
  items: Array<{ id: string; variantId: string; quantity: number; addedAt: string }> | Record<string, never>;
}

const encode = (cart: CartRecord): string =>
  JSON.stringify({ ...cart, createdAt: cart.createdAt.toISOString(), updatedAt: cart.updatedAt.toISOString(), items: cart.items.map((i) => ({ ...i, addedAt: i.addedAt.toISOString() })) });

function decode(json: string): CartRecord {
  const stored = JSON.parse(json) as StoredCart;
  // Lua's cjson writes an empty array as {}
  const items = Array.isArray(stored.items) ? stored.items : [];
  return {
    id: stored.id,
    ownerId: stored.ownerId,
    status: stored.status,
    orderId: stored.orderId ?? null,
    currency: stored.currency ?? null,
    createdAt: new Date(stored.createdAt),
    updatedAt: new Date(stored.updatedAt),
    items: items.map((i) => ({ id: i.id, variantId: i.variantId, quantity: i.quantity, addedAt: new Date(i.addedAt) })),
  };
}

const working = ([d, v, f]: Array<string | null>): WorkingCart | null => (d && v ? { cart: decode(d), version: Number(v), flushedVersion: Number(f ?? v) } : null);

const changeArgs = (change: CartChange): string[] => {
  switch (change.kind) {
    case 'add':
      return [change.ownerId, change.itemId, change.variantId, String(change.quantity), change.currency];
    case 'set':
      return [change.ownerId, change.itemId, String(change.quantity)];
    case 'remove':
      return [change.ownerId, change.itemId];
    default:
      return [change.orderId];
  }
};

/**
 * Redis away (down, frozen past the command timeout, reconnecting): the request answers 503 and changed nothing
 * it was told about. A change whose reply was lost may have run; it is in Redis and written back like any other.
 */
async function unavailable<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    // Redis answered with an error (a script's bug, a wrong type): that is ours to fix, not an outage to retry
    if (err instanceof (ReplyError as ErrorConstructor)) throw err;
    throw Object.assign(CartsErrors.workingCopyUnavailable(), { cause: err });
  }
}

/** a pipeline's methods for the scripts defineCommand added (ioredis cannot type them) */
const scripts = (pipeline: ChainableCommander) => pipeline as unknown as Record<string, (...args: Array<string | number>) => unknown>;

/** a pipeline's replies in order; it reports a lost connection per command instead of rejecting, so the first error is thrown */
async function exec(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await unavailable(pipeline.exec())) ?? [];
  for (const [err] of results) if (err) await unavailable(Promise.reject(err));
  return results.map(([, reply]) => reply);
}

/**
 * The working copy in Redis, shared by every process: one hash per cart under `{cart:<id>}` (one hash slot, so
 * every script is atomic on Redis Cluster too), changed only by Lua scripts (lua/*.lua, sent by SHA through
 * ioredis defineCommand), and one sorted set of carts due for their write. The due entry is added before the
 * change on the same connection, so a process dying between the two leaves at worst a due entry with nothing to write.
 * Needs `maxmemory-policy noeviction` (or volatile-* with room): an evicted cart that was not yet written is lost.
 */
export function createRedisCartWorkingCopy({ redis, keyPrefix, ttlMs = 24 * 3600_000 }: RedisCartWorkingCopyOptions): CartWorkingCopy {
  if (/[{}]/.test(keyPrefix)) throw new RangeError('keyPrefix must not contain { or }: the hash tag must be {cart:<id>}');
  for (const script of SCRIPTS) redis.defineCommand(commandName(script), { numberOfKeys: 1, lua: source(script) });
  // defineCommand adds methods ioredis cannot type
  const commands = redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>;
  const run = (script: Script, key: string, ...args: Array<string | number>) => commands[commandName(script)]!(key, ...args);
  const cartKey = (cartId: string) => `${keyPrefix}{cart:${cartId}}`;
  const dueKey = `${keyPrefix}carts:due`;

  return {
    kind: 'redis',

    async read(cartId) {
      return working(await unavailable(redis.hmget(cartKey(cartId), 'd', 'v', 'f')));
    },

    async readMany(cartIds) {
      if (cartIds.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of cartIds) pipeline.hmget(cartKey(id), 'd', 'v', 'f');
      return (await exec(pipeline)).map((reply) => working(reply as Array<string | null>));
    },

    async populate(cart, version) {
      const reply = (await unavailable(run('cart-populate', cartKey(cart.id), encode(cart), String(version), ttlMs))) as Array<string | null>;
      const held = working(reply);
      if (!held) throw new Error(`cart ${cart.id} could not be put in the working copy`);
      return held;
    },

    async apply(cartId: string, change: CartChange, now: Date, dueAtMs: number): Promise<ApplyOutcome> {
      // due first: LT keeps an earlier due time (a busy cart is still written on time) and lowers a lease. Both are
      // sent in this turn, in this order: on an auto-pipelined connection (open-shared-state.ts) they share one write
      // with the other requests' changes of the turn
      const due = redis.zadd(dueKey, 'LT', dueAtMs, cartId);
      const applied = run('cart-apply', cartKey(cartId), change.kind, now.toISOString(), now.getTime(), ttlMs, CART_LIMITS.maxQuantity, CART_LIMITS.maxLines, ...changeArgs(change));
      // one wait for both (either failing fails the change as unavailable), not a wrapper each: on the busiest path
      const [, reply] = await unavailable(Promise.all([due, applied]));
      const [status, doc, version, changed] = reply as string[];
      if (status !== 'OK') return { ok: false, code: status as CartChangeFailure | 'NOT_LOADED' };
      return { ok: true, cart: decode(doc!), version: Number(version), changed: changed === '1' };
    },

    // Not recorded in Redis: a cart leaves the due index once written (release) and comes back only with a change,
    // whose version is newer than any written, so the mark would only spare the write of a cart claimed again
    // unchanged (a lease that ran out, a change that changed nothing). PostgreSQL's version guard makes that write a
    // no-op (sql-cart-snapshots.ts), and the mark cost a script call per written cart on the busiest path.
    async markFlushed() {},

    async claimDue(nowMs, limit, leaseUntilMs): Promise<DueCart[]> {
      const ids = (await run('carts-claim', dueKey, Math.floor(nowMs), limit, leaseUntilMs)) as string[];
      return ids.map((cartId) => ({ cartId, lease: leaseUntilMs }));
    },

    async claim(cartId, leaseUntilMs) {
      // XX: only a cart on the due list gets the lease; one that is not has nothing to take off it
      await redis.zadd(dueKey, 'XX', leaseUntilMs, cartId);
      return { cartId, lease: leaseUntilMs };
    },

    async release(due) {
      if (due.length === 0) return;
      // one command per lease (a claim gives its whole batch one), not one per cart; nothing is marked (markFlushed)
      const pipeline = redis.pipeline();
      const byLease = new Map<number, string[]>();
      for (const { cartId, lease } of due) {
        const ids = byLease.get(lease);
        if (ids) ids.push(cartId);
        else byLease.set(lease, [cartId]);
      }
      for (const [lease, ids] of byLease) scripts(pipeline)[commandName('carts-release')]!(dueKey, lease, ...ids);
      await exec(pipeline);
    },

    // the connection belongs to whoever opened it
    async close() {},
  };
}
