import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('security settings in config', () => {
  it('when nothing is set, then no CORS origin is allowed, no ops token is required and the timeouts have safe defaults', () => {
    const config = loadConfig({});
    expect(config.corsOrigins).toEqual([]);
    expect(config.opsToken).toBeUndefined();
    expect(config.production).toBe(false);
    expect(config.httpTimeouts).toEqual({ requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, connectionMs: 120_000 });
  });

  it('when CORS_ORIGINS lists exact origins, then they are kept; a path, a wildcard or another scheme is refused', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://shop.example.com, http://127.0.0.1:3000' }).corsOrigins).toEqual(['https://shop.example.com', 'http://127.0.0.1:3000']);
    for (const bad of ['*', 'https://shop.example.com/', 'https://*.example.com', 'shop.example.com', 'ftp://shop.example.com', 'null']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
  });

  it('when NODE_ENV=production has no ops token (or an empty one), then loading fails with one line naming FLOODGATE_OPS_TOKEN', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', FLOODGATE_OPS_TOKEN: '' }]) {
      expect(() => loadConfig(env)).toThrow(/^FLOODGATE_OPS_TOKEN is required when NODE_ENV=production[^\n]*$/);
    }
    expect(loadConfig({ NODE_ENV: 'production', FLOODGATE_OPS_TOKEN: 'a'.repeat(32) }).production).toBe(true);
  });

  it('when the ops token is short or the headers timeout exceeds the request timeout, then loading fails', () => {
    expect(() => loadConfig({ FLOODGATE_OPS_TOKEN: 'short' })).toThrow(/FLOODGATE_OPS_TOKEN/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});

describe('request deadline in config', () => {
  it('when REQUEST_DEADLINE_MS is unset, then it is the connect deadline plus the query deadline; when set, then it is used', () => {
    expect(loadConfig({}).requestDeadlineMs).toBe(10_000);
    expect(loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '2000', DATABASE_CONNECT_TIMEOUT_MS: '1500' }).requestDeadlineMs).toBe(3_500);
    expect(loadConfig({ REQUEST_DEADLINE_MS: '2500' }).requestDeadlineMs).toBe(2_500);
  });

  it('when REQUEST_DEADLINE_MS is not a whole number of ms from 100 up, then loading fails naming it', () => {
    for (const bad of ['abc', '50', '1.5', '-1']) expect(() => loadConfig({ REQUEST_DEADLINE_MS: bad }), bad).toThrow(/REQUEST_DEADLINE_MS/);
  });
});

describe('topology settings in config', () => {
  it('when AMQP_URL and DATABASE_REPLICA_URLS are set, then they are parsed; unset, then the embedded defaults stay', () => {
    expect(loadConfig({}).amqp).toBeUndefined();
    expect(loadConfig({}).databaseReplicaUrls).toEqual([]);
    const config = loadConfig({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      DATABASE_URL: 'postgres://app@primary:5432/shop',
      DATABASE_REPLICA_URLS: 'postgres://app@replica1:5432/shop, postgresql://app@replica2:5432/shop',
    });
    expect(config.amqp).toEqual({ url: 'amqp://guest:guest@127.0.0.1:5672', exchange: 'floodgate.events', prefetch: 16, maxAttempts: 8, publishTimeoutMs: 5_000 });
    expect(config.databaseReplicaUrls).toEqual(['postgres://app@replica1:5432/shop', 'postgresql://app@replica2:5432/shop']);
  });

  it('when DATABASE_LISTEN_URL is set beside a bouncer, then the listening connection goes there; unset, then nothing is given for it', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@pgbouncer:6432/shop', DATABASE_POOLER: 'pgbouncer' }).database).not.toHaveProperty('listenConnectionString');
    const config = loadConfig({ DATABASE_URL: 'postgres://app@pgbouncer:6432/shop', DATABASE_POOLER: 'pgbouncer', DATABASE_LISTEN_URL: 'postgres://app@primary:5432/shop' });
    expect(config.database).toMatchObject({ transactionPooled: true, listenConnectionString: 'postgres://app@primary:5432/shop' });
  });

  it('when a topology variable is malformed, then loading fails with one line naming it and what it expects, never echoing its value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ AMQP_URL: 'http://guest:s3cret@rabbit:5672' }, /^invalid configuration: AMQP_URL: the scheme is not amqp:\/\/ or amqps:\/\/; expected a URL such as amqp:/],
      [{ AMQP_URL: 's3cret at rabbit' }, /^invalid configuration: AMQP_URL: not a URL/],
      [{ DATABASE_URL: 'mysql://app:s3cret@db/shop' }, /^invalid configuration: DATABASE_URL: the scheme is not postgres:\/\/ or postgresql:\/\//],
      [{ DATABASE_URL: 'postgres://a@p/db', DATABASE_REPLICA_URLS: 'postgres://a@r1/db,,s3cret' }, /^invalid configuration: DATABASE_REPLICA_URLS: entry 2: empty entry; expected comma-separated URLs/],
      [{ DATABASE_REPLICA_URLS: 'postgres://a@r1/db' }, /^invalid configuration: DATABASE_REPLICA_URLS: replicas need their primary; set DATABASE_URL/],
      [{ DATABASE_URL: 'postgres://a@p/db', DATABASE_LISTEN_URL: 'redis://a:s3cret@p/db' }, /^invalid configuration: DATABASE_LISTEN_URL: the scheme is not postgres:\/\/ or postgresql:\/\//],
      [{ DATABASE_LISTEN_URL: 'postgres://a:s3cret@p/db' }, /^invalid configuration: DATABASE_LISTEN_URL: a listening connection needs the database it listens to; set DATABASE_URL/],
      [{ PORT: 's3cret' }, /^invalid configuration: PORT: expected a whole number from 0 to 65535$/],
      [{ AMQP_PREFETCH: '0' }, /^invalid configuration: AMQP_PREFETCH: expected a whole number from 1 to 10000$/],
      [{ FLOODGATE_ADMIN_EMAIL: 's3cret', FLOODGATE_ADMIN_PASSWORD: 'long-enough-1' }, /^invalid configuration: FLOODGATE_ADMIN_EMAIL: expected an email address$/],
    ];
    for (const [env, message] of cases) {
      let error: Error | undefined;
      try {
        loadConfig(env);
      } catch (err) {
        error = err as Error;
      }
      expect(error?.name, JSON.stringify(env)).toBe('ConfigError');
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('\n');
      expect(error?.message).not.toContain('s3cret');
    }
  });

  it('when several variables are bad, then the one line names each of them', () => {
    expect(() => loadConfig({ PORT: '-1', AMQP_URL: 'nope' })).toThrow(/^invalid configuration: PORT: expected a whole number from 0 to 65535; AMQP_URL: not a URL/);
  });
});

describe('flash-sale settings in config', () => {
  it('when nothing is set, then the poll budget, overbooking and tick have their documented defaults and no Redis is used', () => {
    const config = loadConfig({});
    expect(config.flashSales).toEqual({ pollBudgetPerSecond: 2_000, overbooking: 1.2, tickMs: 250, soldOutRetryMs: 15_000 });
    expect(config.redisUrl).toBeUndefined();
  });

  it('when they are set, then they are read; an overbooking below 1 or a tick under 50 ms is refused naming the variable', () => {
    expect(loadConfig({ FLASH_SALE_POLL_BUDGET_PER_SECOND: '500', FLASH_SALE_OVERBOOKING: '1.5', FLASH_SALE_TICK_MS: '100', FLASH_SALE_SOLD_OUT_RETRY_MS: '5000' }).flashSales).toEqual({ pollBudgetPerSecond: 500, overbooking: 1.5, tickMs: 100, soldOutRetryMs: 5_000 });
    expect(() => loadConfig({ FLASH_SALE_OVERBOOKING: '0.5' })).toThrow(/FLASH_SALE_OVERBOOKING/);
    expect(() => loadConfig({ FLASH_SALE_TICK_MS: '10' })).toThrow(/FLASH_SALE_TICK_MS/);
  });
});

describe('embedded database settings in config', () => {
  it('when PGLITE_SHARED_BUFFERS_MB is unset, then 16; when it is not a whole number of MB from 1 to 4096, then loading fails naming it', () => {
    expect(loadConfig({}).pgliteSharedBuffersMb).toBe(16);
    expect(loadConfig({ PGLITE_SHARED_BUFFERS_MB: '64' }).pgliteSharedBuffersMb).toBe(64);
    for (const bad of ['lots', '0', '1.5', '-8', '5000']) expect(() => loadConfig({ PGLITE_SHARED_BUFFERS_MB: bad }), bad).toThrow(/PGLITE_SHARED_BUFFERS_MB/);
  });

  it('when PGLITE_WASM_COMPILER is unset, then baseline; optimizing is read; anything else is refused naming it', () => {
    expect(loadConfig({}).pgliteWasmCompiler).toBe('baseline');
    expect(loadConfig({ PGLITE_WASM_COMPILER: 'optimizing' }).pgliteWasmCompiler).toBe('optimizing');
    for (const bad of ['turbofan', '', 'BASELINE']) expect(() => loadConfig({ PGLITE_WASM_COMPILER: bad }), bad).toThrow(/PGLITE_WASM_COMPILER/);
  });

  it('when PGLITE_TEMPLATE is unset, then the build template is used; off turns it off; anything else is refused naming it', () => {
    expect(loadConfig({}).pgliteTemplate).toBe(true);
    expect(loadConfig({ PGLITE_TEMPLATE: 'off' }).pgliteTemplate).toBe(false);
    expect(() => loadConfig({ PGLITE_TEMPLATE: 'yes' })).toThrow(/PGLITE_TEMPLATE/);
  });

  it('when CARTS_MEMORY_MAX_CARTS is unset, then 10,000; set, then read; under 100 or not whole, refused naming it', () => {
    expect(loadConfig({}).carts.memoryMaxCarts).toBe(10_000);
    expect(loadConfig({ CARTS_MEMORY_MAX_CARTS: '5000' }).carts.memoryMaxCarts).toBe(5_000);
    for (const bad of ['many', '99', '1.5', '-1']) expect(() => loadConfig({ CARTS_MEMORY_MAX_CARTS: bad }), bad).toThrow(/CARTS_MEMORY_MAX_CARTS/);
  });

  it('when CARTS_WRITE_BACK_THREAD is unset, then on; off, then off; anything else, refused naming it', () => {
    expect(loadConfig({}).carts.writeBackThread).toBe(true);
    expect(loadConfig({ CARTS_WRITE_BACK_THREAD: 'off' }).carts.writeBackThread).toBe(false);
    expect(() => loadConfig({ CARTS_WRITE_BACK_THREAD: 'yes' })).toThrow(/CARTS_WRITE_BACK_THREAD/);
  });
});

describe('payment provider settings in config', () => {
  it('when nothing is set, then the PSP circuit probes after 5 s; when set, it is read, and under 100 ms is refused naming the variable', () => {
    expect(loadConfig({}).pspCircuit).toEqual({ halfOpenAfterMs: 5_000 });
    expect(loadConfig({ PSP_CIRCUIT_HALF_OPEN_AFTER_MS: '500' }).pspCircuit).toEqual({ halfOpenAfterMs: 500 });
    expect(() => loadConfig({ PSP_CIRCUIT_HALF_OPEN_AFTER_MS: '10' })).toThrow(/PSP_CIRCUIT_HALF_OPEN_AFTER_MS/);
  });
});

describe('payment deadline and lease in config', () => {
  it('when nothing is set, then the PSP deadline is 5 s and a charge is leased three times that; set, then they are read', () => {
    expect(loadConfig({}).payments).toEqual({ pspTimeoutMs: 5_000, leaseMs: 15_000 });
    expect(loadConfig({ PSP_TIMEOUT_MS: '2000' }).payments).toEqual({ pspTimeoutMs: 2_000, leaseMs: 6_000 });
    expect(loadConfig({ PSP_TIMEOUT_MS: '2000', PAYMENT_LEASE_MS: '2500' }).payments).toEqual({ pspTimeoutMs: 2_000, leaseMs: 2_500 });
  });

  it('when the lease does not outlast the PSP deadline, then loading fails naming both', () => {
    expect(() => loadConfig({ PAYMENT_LEASE_MS: '5000' })).toThrow(/PAYMENT_LEASE_MS must exceed PSP_TIMEOUT_MS/);
    expect(() => loadConfig({ PSP_TIMEOUT_MS: 'soon' })).toThrow(/PSP_TIMEOUT_MS/);
  });

  it('when the pooler, the Redis namespace or the list bulkhead are set, then they are read; malformed, loading fails naming the variable', () => {
    expect(loadConfig({}).database.transactionPooled).toBe(false);
    expect(loadConfig({ DATABASE_POOLER: 'pgbouncer' }).database.transactionPooled).toBe(true);
    expect(() => loadConfig({ DATABASE_POOLER: 'pgpool' })).toThrow(/DATABASE_POOLER/);
    expect(loadConfig({}).redisKeyPrefix).toBe('floodgate');
    expect(loadConfig({}).limits.keyPrefix).toBe('floodgate:rl');
    expect(loadConfig({ REDIS_KEY_PREFIX: 'shop-a' }).limits.keyPrefix).toBe('shop-a:rl');
    expect(loadConfig({ REDIS_KEY_PREFIX: 'shop-a', RATE_LIMIT_KEY_PREFIX: 'rl-x' }).limits.keyPrefix).toBe('rl-x');
    expect(() => loadConfig({ REDIS_KEY_PREFIX: '{sale}' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(loadConfig({ CATALOG_LIST_MAX_CONCURRENT: '2', CATALOG_LIST_QUEUE: '0' }).catalogPages.listLoads).toEqual({ limit: 2, queue: 0 });
    expect(() => loadConfig({ CATALOG_LIST_MAX_CONCURRENT: '0' })).toThrow(/CATALOG_LIST_MAX_CONCURRENT/);
    expect(() => loadConfig({ CATALOG_LIST_QUEUE: '-1' })).toThrow(/CATALOG_LIST_QUEUE/);
  });
});
