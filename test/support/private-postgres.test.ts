import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const query = async (url: string, text: string, connectionTimeoutMillis = 2_000) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end().catch(() => {});
  }
};

describe.skipIf(!privatePostgresAvailable())('private PostgreSQL', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterAll(() => server?.[Symbol.asyncDispose]());

  it('when started, then it answers on its own port', async () => {
    expect(server.port).not.toBe(5432);
    expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('when frozen, then a connect times out; when thawed, then it answers again', async () => {
    await server.freeze();
    await expect(query(server.url, 'select 1', 500)).rejects.toThrow(/timeout/i);
    await server.thaw();
    expect(await query(server.url, 'select 2 as two')).toEqual([{ two: 2 }]);
  });

  it('when a backend is terminated, then its client sees 57P01 and the server stays up', async () => {
    const victim = new pg.Client({ connectionString: server.url });
    const lost = new Promise<Error>((resolve) => victim.on('error', resolve));
    await victim.connect();
    expect(await server.terminateBackends()).toBeGreaterThanOrEqual(1);
    expect((await lost as Error & { code?: string }).code).toBe('57P01');
    expect(await query(server.url, 'select 3 as three')).toEqual([{ three: 3 }]);
  });

  it('when one backend of two is terminated with limit 1, then the busy one goes and the idle one stays', async () => {
    const busy = new pg.Client({ connectionString: server.url });
    const idle = new pg.Client({ connectionString: server.url });
    const busyLost = new Promise<Error>((resolve) => busy.on('error', resolve));
    idle.on('error', () => {});
    await Promise.all([busy.connect(), idle.connect()]);
    const sleeping = busy.query('select pg_sleep(30)').catch((err: Error) => err);
    await expect.poll(async () => (await query(server.url, "select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'"))[0].n).toBe(1);
    expect(await server.terminateBackends({ limit: 1 })).toBe(1);
    expect(((await sleeping) as Error & { code?: string }).code).toBe('57P01');
    await busyLost;
    expect((await idle.query('select 4 as four')).rows).toEqual([{ four: 4 }]);
    await idle.end();
  });

  it('when stopped immediately and started again, then connects are refused and then answered', async () => {
    await server.stop({ mode: 'immediate' });
    await expect(query(server.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await server.start();
    const url = await server.createDatabase('after_restart');
    expect(await query(url, 'select current_database() as name')).toEqual([{ name: 'after_restart' }]);
  });
});
