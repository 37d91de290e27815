import { resolve } from 'node:path';
import { z } from 'zod';

/** The one place the environment is read. Every setting has a working default for `npm start`. */
const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  FLOODGATE_DATA_DIR: z.string().default('./.floodgate'),
  /** set to use a PostgreSQL server instead of the embedded PGlite */
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** per-statement deadline: past it a query fails (503) instead of hanging on a slow or frozen database */
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
  /** polls per second one flash sale's whole waiting room may cost; retryAfterMs answers keep the sum under it */
  FLASH_SALE_POLL_BUDGET_PER_SECOND: z.coerce.number().int().min(10).max(1_000_000).default(2_000),
  /** admitted customers who have not reserved yet, per remaining unit (some admitted never buy) */
  FLASH_SALE_OVERBOOKING: z.coerce.number().min(1).max(10).default(1.2),
  /** how often each process moves the admission frontier of every live sale */
  FLASH_SALE_TICK_MS: z.coerce.number().int().min(50).max(10_000).default(250),
  /**
   * how long a checkout's Idempotency-Key stays locked to the request that claimed it: a retry after a
   * crash resumes that checkout once the lock lapses, so it must outlast the slowest live checkout
   */
  CHECKOUT_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  FLOODGATE_ADMIN_EMAIL: z.string().email().optional(),
  FLOODGATE_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** the payment provider's base URL; unset in all-in-one, where the fake PSP starts in-process */
  FLOODGATE_PSP_URL: z.string().url().optional(),
  FAKE_PSP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** the fake PSP appends its decisions here and reloads them on start (captures survive a restart) */
  FAKE_PSP_LEDGER_FILE: z.string().min(1).optional(),
  FLOODGATE_DEMO_PRODUCTS: z.coerce.number().int().min(0).max(200_000).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** a request slower than this is logged at warn; faster successful ones only at debug */
  LOG_SLOW_REQUEST_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
  NODE_ENV: z.string().optional(),
  /** bearer token for /metrics, /ops data and readiness details; required in production */
  FLOODGATE_OPS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'use at least 16 characters (e.g. openssl rand -hex 32)').optional()),
  /** comma-separated browser origins allowed to call the API (CORS); none by default */
  CORS_ORIGINS: z.string().default(''),
  /** a client must deliver its whole request (headers and body) within this */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** above the idle timeout of the load balancers in front (60 s is common), so they close first */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(72_000),
  /** a socket with no traffic in either direction for this long is closed */
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  /** base64 of 32 bytes: wraps every data key that encrypts secrets at rest; required in production */
  FLOODGATE_KEY_ENCRYPTION_KEY: z.string().optional(),
  /** comma-separated earlier KEKs, still accepted for opening until `floodgate keys rewrap` ran */
  FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS: z.string().optional(),
});

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
      throw new Error(`Invalid configuration:\n  CORS_ORIGINS: "${origin}" is not an origin such as https://shop.example.com (no path, no wildcard)`);
    }
  }
  return origins;
}

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}\nFix these environment variables and start again.`);
  }
  const e = parsed.data;
  if (Boolean(e.FLOODGATE_ADMIN_EMAIL) !== Boolean(e.FLOODGATE_ADMIN_PASSWORD)) {
    throw new Error('Set both FLOODGATE_ADMIN_EMAIL and FLOODGATE_ADMIN_PASSWORD, or neither.');
  }
  const production = e.NODE_ENV === 'production';
  // metrics and the ops page reveal traffic and business figures: a production process never serves them open
  if (production && !e.FLOODGATE_OPS_TOKEN) {
    throw new Error('FLOODGATE_OPS_TOKEN is required when NODE_ENV=production (it protects /metrics and /ops); set it, e.g. to the output of `openssl rand -hex 32`.');
  }
  // Node refuses a server whose headers may take longer than the whole request
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new Error('Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS.');
  }
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: resolve(e.FLOODGATE_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    flashSales: { pollBudgetPerSecond: e.FLASH_SALE_POLL_BUDGET_PER_SECOND, overbooking: e.FLASH_SALE_OVERBOOKING, tickMs: e.FLASH_SALE_TICK_MS },
    database: {
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      pingTimeoutMs: e.DATABASE_PING_TIMEOUT_MS,
      startupTimeoutMs: e.DATABASE_STARTUP_TIMEOUT_MS,
    },
    shutdown: { idleGraceMs: e.SHUTDOWN_IDLE_GRACE_MS, timeoutMs: e.SHUTDOWN_DRAIN_TIMEOUT_MS },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS ?? e.DATABASE_CONNECT_TIMEOUT_MS + e.DATABASE_QUERY_TIMEOUT_MS,
    checkoutLockMs: e.CHECKOUT_LOCK_MS,
    admin: e.FLOODGATE_ADMIN_EMAIL && e.FLOODGATE_ADMIN_PASSWORD ? { email: e.FLOODGATE_ADMIN_EMAIL, password: e.FLOODGATE_ADMIN_PASSWORD } : undefined,
    pspUrl: e.FLOODGATE_PSP_URL,
    fakePspPort: e.FAKE_PSP_PORT,
    fakePspLedgerFile: e.FAKE_PSP_LEDGER_FILE ? resolve(e.FAKE_PSP_LEDGER_FILE) : undefined,
    demoProducts: e.FLOODGATE_DEMO_PRODUCTS,
    logLevel: e.LOG_LEVEL,
    slowRequestMs: e.LOG_SLOW_REQUEST_MS,
    keyEncryption: { key: e.FLOODGATE_KEY_ENCRYPTION_KEY, previousKeys: e.FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS },
    prettyLogs: e.LOG_FORMAT ? e.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY),
    production,
    opsToken: e.FLOODGATE_OPS_TOKEN,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    httpTimeouts: {
      requestMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersMs: e.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionMs: e.HTTP_CONNECTION_TIMEOUT_MS,
    },
  };
}
