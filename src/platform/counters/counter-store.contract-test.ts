import { describe } from 'vitest';
import { type MakeCounterStore } from './counter-store-fixture.contract-test.js';
import { lifecycleContract } from './counter-store-lifecycle.contract-test.js';
import { propertyContract } from './counter-store-property.contract-test.js';
import { queueContract } from './counter-store-queue.contract-test.js';
import { stockContract } from './counter-store-stock.contract-test.js';

export type { MakeCounterStore } from './counter-store-fixture.contract-test.js';
export { expectNotLoaded } from './counter-store-lifecycle.contract-test.js';

/**
 * The one contract every CounterStore adapter runs (memory-counter-store.test.ts, redis-counter-store.int.test.ts).
 * The tests try to break the port's promises with races (1,000 takes for 10 units, 200 parallel takes by one
 * member, 100 parallel joins), with injected clocks for admission, and with seeded random operation sequences
 * checked against a model. `make` is called once per test; every test works in fresh random scopes.
 */
export function counterStoreContract(name: string, make: MakeCounterStore) {
  describe(`${name} counter store`, () => {
    stockContract(make);
    queueContract(make);
    lifecycleContract(make);
    propertyContract(make);
  });
}
