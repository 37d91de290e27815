import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneMigratedShopDatabase } from '../support/pglite-templates.js';
import { freePort } from '../support/private-postgres.js';
import { startShopProcess, type ShopProcess } from '../support/shop-process.js';

const CONNECTIONS = 5;

describe('SIGTERM with keep-alive clients (a real `floodgate start` process)', () => {
  let shop: ShopProcess | undefined;
  let dataDir: string | undefined;
  const pools: Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.destroy()));
    if (shop && shop.child.exitCode === null) await shop.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when the process is told to stop while clients keep sending on open keep-alive connections, then every request is answered (Connection: close), none is reset, and it exits 0', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'floodgate-drain-'));
    await cloneMigratedShopDatabase(dataDir); // a migrated copy instead of initdb at the shop's start
    shop = await startShopProcess({ FLOODGATE_DATA_DIR: dataDir, SHUTDOWN_IDLE_GRACE_MS: '500' }, await freePort());
    const pool = new Pool(shop.url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
    pools.push(pool);
    const get = (path: string) =>
      pool.request({ path, method: 'GET' }).then(
        async (res) => {
          await res.body.dump();
          return { status: res.statusCode, connection: res.headers.connection };
        },
        (err: Error & { code?: string }) => ({ error: `${err.code ?? ''} ${err.message}` }),
      );
    // open the connections: parallel requests make the pool open one each
    await expect.poll(async () => {
      await Promise.all(Array.from({ length: CONNECTIONS }, () => get('/v1/categories')));
      return pool.stats.connected;
    }).toBe(CONNECTIONS);

    const exited = shop.stop();
    // requests go out while the process drains; they reuse the open connections, then new ones
    const outcomes: Array<Awaited<ReturnType<typeof get>>> = [];
    const readyz: number[] = [];
    const until = Date.now() + 300;
    while (Date.now() < until) {
      outcomes.push(...(await Promise.all(Array.from({ length: CONNECTIONS }, () => get('/v1/categories')))));
      const ready = await get('/readyz');
      if ('status' in ready) readyz.push(ready.status);
    }

    expect(await exited).toBe(0);
    expect(outcomes.filter((o) => 'error' in o)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(0);
    // the signal reaches the process a moment after kill(): the first answers may predate the drain
    const drained = outcomes.filter((o) => 'status' in o && o.connection === 'close');
    expect(drained.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => 'status' in o && o.status === 200)).toBe(true);
    expect(readyz.at(-1)).toBe(503);
  }, 120_000);
});
