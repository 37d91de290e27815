import { resolve } from 'node:path';
import { z } from 'zod';
import { LIMITS, LIMIT_NAMES, parseLimitPolicy, type LimitSettings } from './platform/rate-limits/limit-catalogue.js';
import { SERVICE_DEPENDENCIES, SERVICE_NAMES, serviceUrlVariable, type ServiceName } from './runtime/service-names.js';
import { StartupError } from './platform/startup-error.js';
import { WORKER_GROUP_NAMES, type WorkerGroup } from './runtime/worker-groups.js';

/** `<points>/<window>` (docs/limits.md); a malformed one is refused with the variable's name */
const limitPolicy = z
  .string()
  .transform((text, ctx) => {
    const policy = parseLimitPolicy(text);
    // the message names what is expected, never the value (config.ts prints no values)
    if (!policy) ctx.addIssue({ code: 'custom', message: 'expected <points>/<window> such as 30/1m (window in s, m, h or d, at most 20d; both at least 1)' });
    return policy ?? z.NEVER;
  })
  .optional();
const limitSchema = Object.fromEntries(LIMIT_NAMES.map((name) => [LIMITS[name].env, limitPolicy])) as Record<(typeof LIMITS)[keyof typeof LIMITS]['env'], typeof limitPolicy>;
const seconds = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** the services whose process may get its own pool size: `DATABASE_POOL_SIZE_CATALOG` … (`floodgate serve <service>`, `floodgate worker`) */
export const POOLED_SERVICES = ['catalog', 'customers', 'carts', 'inventory', 'orders', 'payments', 'flash-sales', 'worker'] as const;
export type PooledService = (typeof POOLED_SERVICES)[number];
const poolSizeEnv = (service: PooledService) => `DATABASE_POOL_SIZE_${service.toUpperCase().replace(/-/g, '_')}`;
const poolSizeSchema = Object.fromEntries(POOLED_SERVICES.map((s) => [poolSizeEnv(s), z.coerce.number().int().min(1).max(200).optional()])) as Record<string, z.ZodOptional<z.ZodCoercedNumber>>;

type Refinement = (value: string | undefined, ctx: z.RefinementCtx) => void;

/** a URL with one of the given schemes, e.g. postgres:// for DATABASE_URL; an empty value counts as unset */
function urlOf(protocols: string[], example: string): Refinement {
  return (value, ctx) => {
    if (value === undefined || value === '') return;
    const problem = urlProblem(value, protocols);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; expected a URL such as ${example}` });
  };
}

function urlListOf(protocols: string[], example: string): Refinement {
  return (value, ctx) => {
    if (value === undefined || value === '') return;
    const items = value.split(',').map((v) => v.trim());
    items.forEach((item, i) => {
      const problem = item === '' ? 'empty entry' : urlProblem(item, protocols);
      if (problem) ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: ${problem}; expected comma-separated URLs such as ${example}` });
    });
  };
}

function urlProblem(value: string, protocols: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (!protocols.includes(url.protocol)) return `the scheme is not ${protocols.map((p) => `${p}//`).join(' or ')}`;
  if (!url.hostname) return 'no host';
  return undefined;
}

function workerGroupsProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === 'all' || v === 'none') return undefined;
  const unknown = v.split(',').map((g) => g.trim()).filter((g) => !(WORKER_GROUP_NAMES as string[]).includes(g));
  return unknown.length ? `expected all, none or a comma-separated list of ${WORKER_GROUP_NAMES.join(', ')}` : undefined;
}

export function parseWorkerGroups(value: string): WorkerGroup[] {
  const v = value.trim();
  if (v === 'all') return [...WORKER_GROUP_NAMES];
  if (v === 'none') return [];
  return v.split(',').map((g) => g.trim()) as WorkerGroup[];
}

/** The one place the environment is read. Every setting has a working default for `npm start`. */
const envSchema = z.object({
  ...limitSchema,
  /** the exponential lockout per account and client address on failed logins (docs/limits.md) */
  LOGIN_LOCKOUT_FREE_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  LOGIN_LOCKOUT_BASE_SECONDS: seconds(1, 3_600, 2),
  LOGIN_LOCKOUT_MAX_SECONDS: seconds(1, 86_400, 900),
  // at most 20 days, as every limit window (MAX_WINDOW_SECONDS in limit-catalogue.ts)
  LOGIN_LOCKOUT_MEMORY_SECONDS: seconds(60, 20 * 86_400, 86_400),
  /** where rate limits live in Redis; processes that share limits must share it (tests use a random one) */
  /**
   * the namespace of every key this deployment keeps in Redis (page cache and its invalidation channel, degradation
   * switches, sale counters, and rate limits unless RATE_LIMIT_KEY_PREFIX says otherwise): two shops sharing one
   * Redis must not share it. No braces (sale counters keep each sale in one hash slot with them)
   */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'use letters, digits and : _ - (at most 100)').default('floodgate'),
  RATE_LIMIT_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_{}-]{1,100}$/, 'use letters, digits and : _ - { } (at most 100)').optional(),
  /**
   * MiB each named limit may spend on the keys it remembers in this process (the all-in-one's store, and every
   * process's fallback while Redis is away); past it the least recently used key is forgotten (docs/limits.md)
   */
  RATE_LIMIT_MEMORY_MB_PER_LIMIT: z.coerce.number().int().min(1).max(1_024).default(2),
  /** open carts one customer may hold at once; creating one more answers 409 */
  CARTS_MAX_OPEN_PER_CUSTOMER: z.coerce.number().int().min(1).max(10_000).default(20),
  /**
   * carts' working copy (docs/carts.md): `on` (default) reads and changes carts in Redis when REDIS_URL is set (written
   * back to PostgreSQL after CARTS_FLUSH_INTERVAL_MS), in the all-in-one's memory otherwise (answered once written,
   * group commit); `off`: every cart change is its own PostgreSQL transaction (also `serve carts` without Redis)
   */
  CARTS_WRITE_BACK: z.enum(['on', 'off']).default('on'),
  /** with Redis: how long a cart change waits in Redis before its write to PostgreSQL is due; changes meanwhile share that write */
  CARTS_FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  /**
   * with Redis and DATABASE_URL: `on` (default) writes due carts back on a thread of the process's own, beside the event
   * loop that answers requests (its own PostgreSQL connection and Redis connection); `off`: on the event loop
   */
  CARTS_WRITE_BACK_THREAD: z.enum(['on', 'off']).default('on'),
  /**
   * the all-in-one's in-memory working copy keeps at most this many carts (~0.9 KB each with a line); the least
   * recently used ones already written make room and are read back from the database when next used
   */
  CARTS_MEMORY_MAX_CARTS: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  /**
   * which proxies may tell the client address in X-Forwarded-For (Fastify trustProxy): `loopback` (default: a
   * local nginx or load test), `true`, `false`, a hop count, or comma-separated addresses/CIDRs
   */
  TRUST_PROXY: z.string().default('loopback'),
  /** priority load shedding (docs/limits.md): `off` only to measure without it */
  LOAD_SHEDDING: z.enum(['on', 'off']).default('on'),
  /** event-loop delay (mean over a sample) above which the lowest class is shed; twice it sheds normal, four times high */
  OVERLOAD_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(1).max(60_000).default(100),
  /** the adaptive in-flight limit starts here and moves between the min and max */
  OVERLOAD_CONCURRENCY_INITIAL: z.coerce.number().int().min(1).max(100_000).default(256),
  OVERLOAD_CONCURRENCY_MIN: z.coerce.number().int().min(1).max(100_000).default(32),
  OVERLOAD_CONCURRENCY_MAX: z.coerce.number().int().min(1).max(100_000).default(2_048),
  /**
   * the latency signal (docs/limits.md): per class, a standing queue is declared when even the fastest request
   * of the class answered within an interval spent longer than this in the process; while some class is late,
   * one more class is shed per interval, lowest first (critical never)
   */
  OVERLOAD_LATENCY_TARGET_LOW_MS: z.coerce.number().int().min(1).max(60_000).default(100),
  OVERLOAD_LATENCY_TARGET_NORMAL_MS: z.coerce.number().int().min(1).max(60_000).default(100),
  OVERLOAD_LATENCY_TARGET_HIGH_MS: z.coerce.number().int().min(1).max(60_000).default(150),
  OVERLOAD_LATENCY_TARGET_CRITICAL_MS: z.coerce.number().int().min(1).max(60_000).default(250),
  /** how long the minimum is taken over; `0` turns the latency signal off */
  OVERLOAD_LATENCY_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /** with no class late for this long, the highest shed class comes back (one class per period) */
  OVERLOAD_LATENCY_RECOVERY_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /** how often the controller samples its signals */
  OVERLOAD_SAMPLE_INTERVAL_MS: z.coerce.number().int().min(10).max(10_000).default(250),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  FLOODGATE_DATA_DIR: z.string().default('./.floodgate'),
  /**
   * The embedded database's buffer cache (PGlite only): its WASM heap never shrinks, so this is resident for
   * the process's life. PostgreSQL's 128MB default is sized for a server; a demo catalog fits in far less and
   * the operating system caches the data files anyway.
   */
  PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(1).max(4096).default(16),
  /**
   * `baseline`: PGlite's WebAssembly runs on V8's baseline compiler only (Liftoff). The optimizing tier's
   * background threads leave ~100 MiB in glibc's thread arenas, which it never returns; on this stack's queries
   * the baseline code measured no slower (BENCHMARKS.md 2026-11-30 11:05). `optimizing`: V8's default tiering.
   */
  PGLITE_WASM_COMPILER: z.enum(['baseline', 'optimizing']).default('baseline'),
  /** `on`: a first start from the compiled build copies its migrated empty database instead of running initdb */
  PGLITE_TEMPLATE: z.enum(['on', 'off']).default('on'),
  /** set to use a PostgreSQL server instead of the embedded PGlite */
  DATABASE_URL: z.string().optional().superRefine(urlOf(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db')),
  /** comma-separated read replicas of DATABASE_URL, for reads that tolerate lag */
  DATABASE_REPLICA_URLS: z.string().optional().superRefine(urlListOf(['postgres:', 'postgresql:'], 'postgres://user:pass@replica1:5432/db,postgres://…@replica2:5432/db')),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  ...poolSizeSchema,
  /** a replica further behind the primary than this is taken out of read rotation (its reads go elsewhere) */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /** how often each replica's health and lag are checked */
  DATABASE_REPLICA_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** after a writer's write, its lag-tolerant reads use the primary this long; at least max lag + check interval */
  DATABASE_READ_YOUR_WRITES_MS: z.coerce.number().int().min(200).max(3_600_000).optional(),
  /** per-statement deadline: past it a query fails (503) instead of hanging on a slow or frozen database */
  /**
   * `pgbouncer`: DATABASE_URL (and the replica URLs) point at a transaction-pooling PgBouncer, so nothing may
   * stay on a server connection between transactions (statement deadlines use SET LOCAL). `none`: PostgreSQL itself
   */
  DATABASE_POOLER: z.enum(['none', 'pgbouncer']).default('none'),
  /**
   * with DATABASE_POOLER=pgbouncer: PostgreSQL itself (not the bouncer), for the one LISTEN connection each process
   * keeps. Transaction pooling has no session to listen in, so without it a revocation reaches the other processes
   * at their next poll (500 ms) instead of at once. Also usable without a bouncer, to listen on another host name
   */
  DATABASE_LISTEN_URL: z.string().optional().superRefine(urlOf(['postgres:', 'postgresql:'], 'postgres://user:pass@postgres-primary:5432/db')),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** longest wait for a pooled connection or a new one */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * how long one request may spend on its dependencies, from its arrival: every database wait in it is cut
   * to what is left, so a request making several calls answers 503 once, at this deadline, during an outage.
   * Default: DATABASE_CONNECT_TIMEOUT_MS + DATABASE_QUERY_TIMEOUT_MS (one connect and one statement)
   */
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  /** the /readyz database ping's whole deadline */
  DATABASE_PING_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(1_000),
  /** how long startup waits for an unreachable database before it exits with an error */
  DATABASE_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** on SIGTERM, how long an idle keep-alive connection is left open for its client to notice the drain */
  SHUTDOWN_IDLE_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** on SIGTERM, the longest wait for open connections to wind down before the server closes */
  SHUTDOWN_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** set to keep flash-sale counters (and later rate limits, caches) in Redis; unset → in-process (one process only) */
  REDIS_URL: z.string().url().refine((url) => /^rediss?:\/\//.test(url), 'use a redis:// or rediss:// url').optional(),
  /** how long a rendered catalog page (product, list, search, categories) is fresh; it also bounds how old its stock figure is */
  CATALOG_PAGE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /**
   * how long catalog records are used again when no product change drops them first: a variant's price as cart
   * answers show it, and the products behind a rendered page, whose refresh every CATALOG_PAGE_TTL_MS then reads only
   * the stock. Used where every process hears every change: with REDIS_URL (the page cache's invalidation channel) or
   * one process on the embedded database; elsewhere records are read again every CATALOG_PAGE_TTL_MS. It bounds how
   * long a change made outside the admin API (SQL by hand) takes to show. Checkout always charges the catalog's
   * current price.
   */
  CATALOG_VARIANT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** MiB of rendered catalog pages (with their compressed variants and the records kept for their refresh) each process keeps in memory */
  CATALOG_PAGE_CACHE_MB: z.coerce.number().int().min(1).max(4_096).default(64),
  /**
   * list and search pages loaded from the database at once per process (a bulkhead: a burst of distinct searches
   * must not take every connection checkout needs); more wait in a queue of CATALOG_LIST_QUEUE, then 503
   */
  CATALOG_LIST_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1_000).default(4),
  CATALOG_LIST_QUEUE: z.coerce.number().int().min(0).max(100_000).default(32),
  /** polls per second one flash sale's whole waiting room may cost; retryAfterMs answers keep the sum under it */
  FLASH_SALE_POLL_BUDGET_PER_SECOND: z.coerce.number().int().min(10).max(1_000_000).default(2_000),
  /** admitted customers who have not reserved yet, per remaining unit (some admitted never buy) */
  FLASH_SALE_OVERBOOKING: z.coerce.number().min(1).max(10).default(1.2),
  /** how often each process moves the admission frontier of every live sale */
  FLASH_SALE_TICK_MS: z.coerce.number().int().min(50).max(10_000).default(250),
  /** when a customer told "sold out" should look again (a declined payment or a lapsed lease can bring a unit back) */
  FLASH_SALE_SOLD_OUT_RETRY_MS: z.coerce.number().int().min(500).max(300_000).default(15_000),
  /**
   * how long a checkout's Idempotency-Key stays locked to the request that claimed it: a retry after a
   * crash resumes that checkout once the lock lapses, so it must outlast the slowest live checkout
   */
  CHECKOUT_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  FLOODGATE_ADMIN_EMAIL: z.string().email().optional(),
  FLOODGATE_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** the payment provider's base URL; unset in all-in-one, where the fake PSP starts in-process */
  FLOODGATE_PSP_URL: z.string().url().optional(),
  /** how long the PSP circuit stays open before a probe of the PSP's /healthz may close it (docs/limits.md) */
  PSP_CIRCUIT_HALF_OPEN_AFTER_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** one call to the payment provider: past it the call counts as a provider-wide failure (the PSP's slowest answer must fit) */
  PSP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /**
   * a payment worker's claim on a charge: a crashed process's in-flight charges are taken up again once it
   * ends, so it must outlast PSP_TIMEOUT_MS (default three times it)
   */
  PAYMENT_LEASE_MS: z.coerce.number().int().min(200).max(600_000).optional(),
  FAKE_PSP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** the fake PSP appends its decisions here and reloads them on start (captures survive a restart) */
  FAKE_PSP_LEDGER_FILE: z.string().min(1).optional(),
  /** set to carry events on RabbitMQ instead of the in-process bus */
  AMQP_URL: z.string().optional().superRefine(urlOf(['amqp:', 'amqps:'], 'amqp://user:pass@host:5672/vhost')),
  /** the topic exchange of every event; another name separates two shops on one broker */
  AMQP_EXCHANGE: z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'letters, digits and . _ : - (e.g. floodgate.events)').default('floodgate.events'),
  /** unacknowledged events one subscriber holds at once */
  AMQP_PREFETCH: z.coerce.number().int().min(1).max(10_000).default(16),
  /** a subscriber failing this many times on one event sends it to its dead-letter queue */
  AMQP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** longest wait for RabbitMQ's confirm before a publish fails (the outbox retries it) */
  AMQP_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /**
   * which background jobs this process runs besides serving: all (default), none (the production topology,
   * where `floodgate worker …` runs them), or a comma-separated list of groups
   */
  FLOODGATE_WORKERS: z.string().default('all').superRefine((value, ctx) => {
    const problem = workerGroupsProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  FLOODGATE_DEMO_PRODUCTS: z.coerce.number().int().min(0).max(200_000).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** a request slower than this is logged at warn; faster successful ones only at debug */
  LOG_SLOW_REQUEST_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
  /** info/warn request lines per second for one route and status before the rest are counted into one line; 0 = all */
  LOG_REPEATS_PER_SECOND: z.coerce.number().int().min(0).max(1_000_000).default(20),
  NODE_ENV: z.string().optional(),
  /** bearer token for /metrics, /ops data and readiness details; required in production */
  FLOODGATE_OPS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'use at least 16 characters (e.g. openssl rand -hex 32)').optional()),
  /** comma-separated browser origins allowed to call the API (CORS); none by default */
  CORS_ORIGINS: z.string().default(''),
  /** where clients reach the API (e.g. https://shop.example.com): the API document names it as its server */
  PUBLIC_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'https://shop.example.com')),
  /** a client must deliver its whole request (headers and body) within this */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** above the idle timeout of the load balancers in front (60 s is common), so they close first */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(72_000),
  /** a socket with no traffic in either direction for this long is closed */
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  /** where each service answers, for `floodgate serve <service>` processes that call it (docs/operations.md) */
  CATALOG_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://catalog.internal:8080')),
  CUSTOMERS_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://customers.internal:8080')),
  CARTS_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://carts.internal:8080')),
  INVENTORY_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://inventory.internal:8080')),
  ORDERS_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://orders.internal:8080')),
  PAYMENTS_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://payments.internal:8080')),
  FLASH_SALES_URL: z.string().optional().superRefine(urlOf(['http:', 'https:'], 'http://flash-sales.internal:8080')),
  /** the HMAC key every service signs and checks its 60 s service credentials with; required by `floodgate serve <service>` */
  FLOODGATE_SERVICE_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'use at least 32 characters (e.g. openssl rand -hex 32)').optional()),
  /** one service-to-service attempt's longest wait (always cut to what is left of the request's deadline) */
  SERVICE_CALL_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** attempts in total for an idempotent service-to-service call */
  SERVICE_CALL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** keep-alive connections from this process to each service it calls */
  SERVICE_CALL_CONNECTIONS: z.coerce.number().int().min(1).max(1_024).default(32),
  /** base64 of 32 bytes: wraps every data key that encrypts secrets at rest; required in production */
  FLOODGATE_KEY_ENCRYPTION_KEY: z.string().optional(),
  /** comma-separated earlier KEKs, still accepted for opening until `floodgate keys rewrap` ran */
  FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS: z.string().optional(),
});

/** every variable the schema reads: deploy/k8s is checked against it, so a misspelt name in a manifest is caught */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);
/** what a variable is when unset (undefined when it has no default): the docs' tables are checked against it */
export const configDefault = (name: string): unknown => (envSchema.shape as Record<string, z.ZodType>)[name]?.safeParse(undefined).data;

/** An origin is scheme://host[:port], nothing after it: an allow-list entry must match the Origin header exactly. */
function parseOrigins(list: string): string[] {
  const origins = list.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol) || origin.includes('*')) {
      throw new ConfigError(`invalid configuration: CORS_ORIGINS: "${origin}" is not an origin such as https://shop.example.com (no path, no wildcard)`);
    }
  }
  return origins;
}

const PROXY_ADDRESS = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;

/** TRUST_PROXY as Fastify's trustProxy takes it */
function parseTrustProxy(value: string): boolean | number | string[] {
  const text = value.trim();
  if (text === 'true') return true;
  if (text === 'false' || text === '') return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = text.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = entries.find((entry) => !PROXY_ADDRESS.test(entry));
  if (bad !== undefined) {
    throw new ConfigError("invalid configuration: TRUST_PROXY: expected loopback, linklocal, uniquelocal, addresses or CIDRs (comma-separated), true, false or a hop count");
  }
  return entries;
}

/**
 * A setting the operator must fix. The message is one line naming each bad variable and what it
 * expects, never its value (a URL may carry a password); the CLI prints it and exits non-zero.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** what a variable expects, in words an operator acts on: "a whole number from 0 to 65535" */
function expectation(key: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return issue.message;
  let schema: unknown = envSchema.shape[key as keyof typeof envSchema.shape];
  while (schema && typeof (schema as { unwrap?: unknown }).unwrap === 'function' && !(schema instanceof z.ZodNumber)) schema = (schema as { unwrap(): unknown }).unwrap();
  if (schema instanceof z.ZodNumber) {
    const max = schema.maxValue !== null && schema.maxValue < Number.MAX_SAFE_INTEGER ? ` to ${schema.maxValue}` : ' or more';
    return `expected a ${schema.isInt ? 'whole number' : 'number'} from ${schema.minValue ?? 0}${max}`;
  }
  if (issue.code === 'invalid_format') return `expected ${issue.format === 'email' ? 'an email address' : issue.format === 'url' ? 'a URL' : `the ${issue.format} format`}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return `expected at least ${String(issue.minimum)} characters`;
  return issue.message.replace(/^Invalid (input|option): /, '');
}

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const byVariable = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (!byVariable.has(key)) byVariable.set(key, expectation(key, issue));
    }
    throw new ConfigError(`invalid configuration: ${[...byVariable].map(([key, what]) => `${key}: ${what}`).join('; ')}`);
  }
  const e = parsed.data;
  if (Boolean(e.FLOODGATE_ADMIN_EMAIL) !== Boolean(e.FLOODGATE_ADMIN_PASSWORD)) {
    throw new ConfigError('invalid configuration: FLOODGATE_ADMIN_EMAIL and FLOODGATE_ADMIN_PASSWORD: set both, or neither.');
  }
  if (e.DATABASE_LISTEN_URL && !e.DATABASE_URL) {
    throw new ConfigError('invalid configuration: DATABASE_LISTEN_URL: a listening connection needs the database it listens to; set DATABASE_URL too (or unset DATABASE_LISTEN_URL to use the embedded database).');
  }
  if (e.DATABASE_REPLICA_URLS && !e.DATABASE_URL) {
    throw new ConfigError('invalid configuration: DATABASE_REPLICA_URLS: replicas need their primary; set DATABASE_URL too (or unset DATABASE_REPLICA_URLS to use the embedded database).');
  }
  const readYourWritesMs = e.DATABASE_READ_YOUR_WRITES_MS ?? Math.max(5_000, e.DATABASE_REPLICA_MAX_LAG_MS + e.DATABASE_REPLICA_CHECK_INTERVAL_MS);
  if (readYourWritesMs < e.DATABASE_REPLICA_MAX_LAG_MS + e.DATABASE_REPLICA_CHECK_INTERVAL_MS) {
    throw new ConfigError('invalid configuration: DATABASE_READ_YOUR_WRITES_MS must be at least DATABASE_REPLICA_MAX_LAG_MS + DATABASE_REPLICA_CHECK_INTERVAL_MS (a writer could otherwise read a replica that has not replayed its write).');
  }
  const production = e.NODE_ENV === 'production';
  // metrics and the ops page reveal traffic and business figures: a production process never serves them open
  if (production && !e.FLOODGATE_OPS_TOKEN) {
    throw new ConfigError('FLOODGATE_OPS_TOKEN is required when NODE_ENV=production (it protects /metrics and /ops); set it, e.g. to the output of `openssl rand -hex 32`.');
  }
  // Node refuses a server whose headers may take longer than the whole request
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS.');
  }
  if (!(e.OVERLOAD_CONCURRENCY_MIN <= e.OVERLOAD_CONCURRENCY_INITIAL && e.OVERLOAD_CONCURRENCY_INITIAL <= e.OVERLOAD_CONCURRENCY_MAX)) {
    throw new ConfigError('invalid configuration: OVERLOAD_CONCURRENCY_INITIAL must lie between OVERLOAD_CONCURRENCY_MIN and OVERLOAD_CONCURRENCY_MAX.');
  }
  const paymentLeaseMs = e.PAYMENT_LEASE_MS ?? 3 * e.PSP_TIMEOUT_MS;
  // a shorter lease lets a second worker claim a charge still waiting for the PSP's answer
  if (paymentLeaseMs <= e.PSP_TIMEOUT_MS) {
    throw new ConfigError('invalid configuration: PAYMENT_LEASE_MS must exceed PSP_TIMEOUT_MS (a live charge would otherwise be claimed again while the PSP still answers it).');
  }
  if (e.LOGIN_LOCKOUT_BASE_SECONDS > e.LOGIN_LOCKOUT_MAX_SECONDS) {
    throw new ConfigError('invalid configuration: LOGIN_LOCKOUT_BASE_SECONDS must not exceed LOGIN_LOCKOUT_MAX_SECONDS.');
  }
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: resolve(e.FLOODGATE_DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    databaseReplicaUrls: e.DATABASE_REPLICA_URLS ? e.DATABASE_REPLICA_URLS.split(',').map((u) => u.trim()) : [],
    databasePoolSize: e.DATABASE_POOL_SIZE,
    /** per-service pool sizes (DATABASE_POOL_SIZE_<SERVICE>); a service without one uses databasePoolSize */
    databasePoolSizes: Object.fromEntries(POOLED_SERVICES.flatMap((s) => {
      const size = (e as Record<string, unknown>)[poolSizeEnv(s)];
      return typeof size === 'number' ? [[s, size]] : [];
    })) as Partial<Record<PooledService, number>>,
    replicas: { maxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS, checkIntervalMs: e.DATABASE_REPLICA_CHECK_INTERVAL_MS, readYourWritesMs },
    pgliteSharedBuffersMb: e.PGLITE_SHARED_BUFFERS_MB,
    pgliteWasmCompiler: e.PGLITE_WASM_COMPILER,
    pgliteTemplate: e.PGLITE_TEMPLATE === 'on',
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    catalogPages: { ttlMs: e.CATALOG_PAGE_TTL_MS, recordTtlMs: e.CATALOG_VARIANT_CACHE_TTL_MS, cacheBytes: e.CATALOG_PAGE_CACHE_MB * 1024 * 1024, listLoads: { limit: e.CATALOG_LIST_MAX_CONCURRENT, queue: e.CATALOG_LIST_QUEUE } },
    flashSales: { pollBudgetPerSecond: e.FLASH_SALE_POLL_BUDGET_PER_SECOND, overbooking: e.FLASH_SALE_OVERBOOKING, tickMs: e.FLASH_SALE_TICK_MS, soldOutRetryMs: e.FLASH_SALE_SOLD_OUT_RETRY_MS },
    database: {
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      pingTimeoutMs: e.DATABASE_PING_TIMEOUT_MS,
      startupTimeoutMs: e.DATABASE_STARTUP_TIMEOUT_MS,
      transactionPooled: e.DATABASE_POOLER === 'pgbouncer',
      ...(e.DATABASE_LISTEN_URL ? { listenConnectionString: e.DATABASE_LISTEN_URL } : {}),
    },
    shutdown: { idleGraceMs: e.SHUTDOWN_IDLE_GRACE_MS, timeoutMs: e.SHUTDOWN_DRAIN_TIMEOUT_MS },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS ?? e.DATABASE_CONNECT_TIMEOUT_MS + e.DATABASE_QUERY_TIMEOUT_MS,
    checkoutLockMs: e.CHECKOUT_LOCK_MS,
    admin: e.FLOODGATE_ADMIN_EMAIL && e.FLOODGATE_ADMIN_PASSWORD ? { email: e.FLOODGATE_ADMIN_EMAIL, password: e.FLOODGATE_ADMIN_PASSWORD } : undefined,
    pspUrl: e.FLOODGATE_PSP_URL,
    pspCircuit: { halfOpenAfterMs: e.PSP_CIRCUIT_HALF_OPEN_AFTER_MS },
    payments: { pspTimeoutMs: e.PSP_TIMEOUT_MS, leaseMs: paymentLeaseMs },
    amqp: e.AMQP_URL
      ? { url: e.AMQP_URL, exchange: e.AMQP_EXCHANGE, prefetch: e.AMQP_PREFETCH, maxAttempts: e.AMQP_MAX_ATTEMPTS, publishTimeoutMs: e.AMQP_PUBLISH_TIMEOUT_MS }
      : undefined,
    serviceCalls: {
      urls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, e[serviceUrlVariable(name) as 'CATALOG_URL']]).filter(([, url]) => url)) as Partial<Record<ServiceName, string>>,
      key: e.FLOODGATE_SERVICE_KEY,
      timeoutMs: e.SERVICE_CALL_TIMEOUT_MS,
      maxAttempts: e.SERVICE_CALL_MAX_ATTEMPTS,
      connections: e.SERVICE_CALL_CONNECTIONS,
    },
    fakePspPort: e.FAKE_PSP_PORT,
    fakePspLedgerFile: e.FAKE_PSP_LEDGER_FILE ? resolve(e.FAKE_PSP_LEDGER_FILE) : undefined,
    demoProducts: e.FLOODGATE_DEMO_PRODUCTS,
    workers: parseWorkerGroups(e.FLOODGATE_WORKERS),
    logLevel: e.LOG_LEVEL,
    slowRequestMs: e.LOG_SLOW_REQUEST_MS,
    logRepeatsPerSecond: e.LOG_REPEATS_PER_SECOND,
    keyEncryption: { key: e.FLOODGATE_KEY_ENCRYPTION_KEY, previousKeys: e.FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS },
    prettyLogs: e.LOG_FORMAT ? e.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY),
    production,
    opsToken: e.FLOODGATE_OPS_TOKEN,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    publicUrl: e.PUBLIC_URL || undefined,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    limits: {
      limits: Object.fromEntries(LIMIT_NAMES.map((name) => [name, e[LIMITS[name].env] ?? LIMITS[name].default])),
      keyPrefix: e.RATE_LIMIT_KEY_PREFIX ?? `${e.REDIS_KEY_PREFIX}:rl`,
      memoryBytesPerLimit: e.RATE_LIMIT_MEMORY_MB_PER_LIMIT * 1024 * 1024,
      loginLockout: {
        freeFailures: e.LOGIN_LOCKOUT_FREE_FAILURES,
        baseSeconds: e.LOGIN_LOCKOUT_BASE_SECONDS,
        maxSeconds: e.LOGIN_LOCKOUT_MAX_SECONDS,
        memorySeconds: e.LOGIN_LOCKOUT_MEMORY_SECONDS,
      },
    } as LimitSettings & { keyPrefix: string; memoryBytesPerLimit: number },
    maxOpenCartsPerCustomer: e.CARTS_MAX_OPEN_PER_CUSTOMER,
    carts: { writeBack: e.CARTS_WRITE_BACK === 'on', writeBackThread: e.CARTS_WRITE_BACK_THREAD === 'on', flushIntervalMs: e.CARTS_FLUSH_INTERVAL_MS, memoryMaxCarts: e.CARTS_MEMORY_MAX_CARTS },
    shedding: {
      enabled: e.LOAD_SHEDDING === 'on',
      eventLoopDelayMs: e.OVERLOAD_EVENT_LOOP_DELAY_MS,
      concurrency: { initial: e.OVERLOAD_CONCURRENCY_INITIAL, min: e.OVERLOAD_CONCURRENCY_MIN, max: e.OVERLOAD_CONCURRENCY_MAX },
      latency:
        e.OVERLOAD_LATENCY_INTERVAL_MS > 0
          ? {
              targetMs: {
                low: e.OVERLOAD_LATENCY_TARGET_LOW_MS,
                normal: e.OVERLOAD_LATENCY_TARGET_NORMAL_MS,
                high: e.OVERLOAD_LATENCY_TARGET_HIGH_MS,
                critical: e.OVERLOAD_LATENCY_TARGET_CRITICAL_MS,
              },
              intervalMs: e.OVERLOAD_LATENCY_INTERVAL_MS,
              recoveryMs: e.OVERLOAD_LATENCY_RECOVERY_MS,
            }
          : undefined,
      sampleIntervalMs: e.OVERLOAD_SAMPLE_INTERVAL_MS,
    },
    httpTimeouts: {
      requestMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersMs: e.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionMs: e.HTTP_CONNECTION_TIMEOUT_MS,
    },
  };
}

/**
 * What `floodgate start` needs besides the defaults: leaving its jobs to `floodgate worker` processes
 * (FLOODGATE_WORKERS) takes a database those processes can share. Checked by the command that runs jobs, not
 * by loadConfig: `floodgate serve docs` reads the same ConfigMap (FLOODGATE_WORKERS=none) and has no database.
 */
export function requireStartSettings(config: Config): void {
  if (config.workers.length < WORKER_GROUP_NAMES.length && !config.databaseUrl) {
    throw new ConfigError('invalid configuration: FLOODGATE_WORKERS: leaving jobs to `floodgate worker` processes needs DATABASE_URL (the embedded database belongs to one process); unset it or set DATABASE_URL.');
  }
}

/** what `floodgate serve` runs: one service, or the API document of them all (`docs`) */
export type ServeComponent = ServiceName | 'docs';

/**
 * The secrets `floodgate serve docs` never reads: it opens no database, broker or cache, calls no service, seals
 * nothing and creates no admin (the admin's email goes with its password: loadConfig wants both or neither). A
 * deployment that hands them to it gives access for nothing (test/deploy checks the manifests).
 */
export const UNUSED_BY_DOCS = ['DATABASE_URL', 'DATABASE_REPLICA_URLS', 'REDIS_URL', 'AMQP_URL', 'FLOODGATE_SERVICE_KEY', 'FLOODGATE_KEY_ENCRYPTION_KEY', 'FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS', 'FLOODGATE_ADMIN_EMAIL', 'FLOODGATE_ADMIN_PASSWORD'] as const;

/**
 * What `floodgate serve <service>` needs besides the defaults: its own PostgreSQL (PGlite belongs to one
 * process), RabbitMQ (an in-process bus cannot carry events between processes), the service key, the
 * URL of each service it calls, and per service: Redis for flash-sales (counters every instance
 * shares), the payment provider for payments; `docs` needs none of them. Throws a ConfigError naming the first missing variable.
 */
export function requireServeSettings(config: Config, service: ServeComponent): void {
  // the document server declares every route and serves none: nothing beyond the defaults (see UNUSED_BY_DOCS)
  if (service === 'docs') return;
  const missing = (variable: string, why: string) => new ConfigError(`invalid configuration: ${variable}: required by \`floodgate serve ${service}\`; ${why}`);
  if (!config.databaseUrl) throw missing('DATABASE_URL', 'expected a postgres:// URL (the embedded database belongs to the all-in-one process)');
  if (!config.amqp) throw missing('AMQP_URL', 'expected an amqp:// URL (events between separate processes need RabbitMQ)');
  if (!config.serviceCalls.key) throw missing('FLOODGATE_SERVICE_KEY', 'expected the shared service key, at least 32 characters (e.g. openssl rand -hex 32)');
  for (const dependency of SERVICE_DEPENDENCIES[service] as readonly ServiceName[]) {
    if (!config.serviceCalls.urls[dependency]) throw missing(serviceUrlVariable(dependency), `expected the http:// URL of the ${dependency} service`);
  }
  if (service === 'flash-sales' && !config.redisUrl) throw missing('REDIS_URL', 'expected a redis:// URL (every flash-sales instance shares the sale counters)');
  if (service === 'payments' && !config.pspUrl) throw missing('FLOODGATE_PSP_URL', 'expected the URL of the payment provider');
}

/**
 * What `floodgate worker <group…>` needs besides the defaults, checked before anything opens: PGlite lives
 * inside one process, so a second one cannot share it; the payments group charges the payment provider.
 */
export function requireWorkerSettings(config: Config, groups: readonly WorkerGroup[]): void {
  if (!config.databaseUrl) throw new StartupError('DATABASE_URL is required by `floodgate worker`: the embedded database belongs to the one process that opened it');
  if (groups.includes('payments') && !config.pspUrl) throw new StartupError('FLOODGATE_PSP_URL is required by `floodgate worker payments`: the URL of the payment provider it charges');
}
