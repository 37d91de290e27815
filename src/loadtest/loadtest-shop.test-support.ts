import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../config.js';
import { startAllInOne, type RunningShop } from '../runtime/all-in-one.js';
import { TEST_SHEDDING_ENV } from '../../test/support/test-limits.js';

/** these tests judge correctness; a loaded test machine must not fail them on latency (objectives.test.ts covers those) */
export const LENIENT_OBJECTIVES = { p99Ms: 600_000, errorRate: 1 };

/**
 * The real shop, all-in-one on a temp data dir with a small demo catalog, started before the
 * describe block's tests and stopped after them. `shop()` is only valid inside a test.
 */
export function useLoadTestShop({ name, products, admin, env = {} }: { name: string; products: number; admin: { email: string; password: string }; env?: Record<string, string> }) {
  let shop: RunningShop | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `floodgate-${name}-`));
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      FLOODGATE_DATA_DIR: dataDir,
      FLOODGATE_DEMO_PRODUCTS: String(products),
      FLOODGATE_ADMIN_EMAIL: admin.email,
      FLOODGATE_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      // the production rate limits apply (each virtual customer has its own X-Forwarded-For); the shedding thresholds
      // are raised: a test machine shared by many runs stalls and slows the shop for reasons no scenario is about
      ...TEST_SHEDDING_ENV,
      ...env,
    });
    shop = await startAllInOne({ config, seed: true });
  }, 120_000);

  afterAll(async () => {
    await shop?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  return () => {
    if (!shop) throw new Error('the load-test shop is not running (used outside a test?)');
    return shop;
  };
}
