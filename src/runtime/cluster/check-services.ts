import amqp from 'amqplib';
import pg from 'pg';
import { closeRedisConnection, createRedisConnection, redactedUrl } from '../../platform/redis/redis-connection.js';

export interface ClusterBackends {
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
}


function within<T>(ms: number, what: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([what, late]).finally(() => clearTimeout(timer));
}

/** the same server's maintenance database: where CREATE DATABASE is run */
const maintenanceUrl = (databaseUrl: string) => {
  const u = new URL(databaseUrl);
  u.pathname = '/postgres';
  return u.toString();
};

async function checkPostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl(databaseUrl), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRedis(redisUrl: string): Promise<void> {
  const silent = { info: () => {}, warn: () => {} };
  const redis = createRedisConnection({ url: redisUrl, name: 'cluster-check', logger: silent, commandTimeoutMs: 3_000 });
  try {
    await within(4_000, redis.ping());
  } finally {
    await closeRedisConnection(redis);
  }
}

async function checkRabbitMq(amqpUrl: string): Promise<void> {
  const connection = await within(4_000, amqp.connect(amqpUrl, { timeout: 3_000 }));
  connection.on('error', () => {});
  await connection.close().catch(() => {});
}

/** Checks all three at once; the error names every one that is down, where it was looked for and why. */
export async function checkBackends(b: ClusterBackends): Promise<void> {
  const checks = [
    ['PostgreSQL', b.databaseUrl, checkPostgres(b.databaseUrl)],
    ['Redis', b.redisUrl, checkRedis(b.redisUrl)],
    ['RabbitMQ', b.amqpUrl, checkRabbitMq(b.amqpUrl)],
  ] as const;
  const results = await Promise.allSettled(checks.map(([, , p]) => p));
  const down = results.flatMap((r, i) => (r.status === 'rejected' ? [`${checks[i]![0]} is down at ${redactedUrl(checks[i]![1])}: ${(r.reason as Error).message || String(r.reason)}`] : []));
  if (down.length > 0) throw new Error(`${down.join('\n')}\nStart ${down.length === 1 ? 'it' : 'them'} (or point --database-url/--redis-url/--amqp-url elsewhere) and run the cluster again.`);
}

/** Creates the cluster's database when it does not exist yet; answers whether it did. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`the cluster database name must be lowercase letters, digits and _ (got "${name}")`);
  const client = new pg.Client({ connectionString: maintenanceUrl(databaseUrl), connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`create database ${name}`);
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}
