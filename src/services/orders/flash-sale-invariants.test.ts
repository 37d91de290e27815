import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../test/support/databases.js';
import { createMemoryCounterStore } from '../../platform/counters/memory-counter-store.js';
import { runRound } from './flash-sale-invariants.test-support.js';
import { createFlashShop, type FlashShop } from './flash-shop.test-support.js';

const pglite = (await databaseAdapters()).find((a) => a.name === 'pglite')!;
const SEEDS = Array.from({ length: 20 }, (_, i) => 1_000 + i * 7_919);

describe('flash sale invariants, in-process counters', () => {
  let shop: FlashShop;
  beforeAll(async () => {
    shop = await createFlashShop(pglite, createMemoryCounterStore());
  });
  afterAll(() => shop?.dispose());

  it.each(SEEDS)('when many more customers than units join, reserve, pay, are declined or walk away (seed %i), then no unit is oversold, lost or over the limit', async (seed) => {
    const { paid } = await runRound(shop, { seed, stock: 5, customers: 20, limit: 2, maxTicks: 150 });
    expect(paid).toBeGreaterThan(0);
  }, 60_000);
});
