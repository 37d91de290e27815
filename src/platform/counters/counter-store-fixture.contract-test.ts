import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import type { CounterStore, ScopeState, TakeInput } from './counter-store.js';

/** builds the adapter under test; called once per test, closed after it */
export type MakeCounterStore = () => CounterStore | Promise<CounterStore>;

/**
 * One store per test and a fresh random scope per use, so contract tests never see each other's data even on
 * a shared Redis and in parallel files.
 */
export function useCounterStore(make: MakeCounterStore): () => CounterStore {
  let store: CounterStore | undefined;
  beforeEach(async () => {
    store = await make();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('the counter store is made in beforeEach');
    return store;
  };
}

export const freshScope = () => `contract-${randomUUID()}`;

export const emptyState = (available: number): ScopeState => ({ available, holds: [], soldByMember: {}, sold: [] });

/** a scope loaded with `available` units and nothing else */
export async function loadedScope(store: CounterStore, available: number): Promise<string> {
  const scope = freshScope();
  await store.load(scope, emptyState(available));
  return scope;
}

let sequence = 0;

/** a take with its own key and hold id; override what the test is about */
export const takeInput = (overrides: Partial<TakeInput> = {}): TakeInput => {
  sequence += 1;
  return {
    member: `member-${sequence}`,
    quantity: 1,
    limit: 10,
    key: `key-${sequence}-${randomUUID()}`,
    holdId: randomUUID(),
    expiresAtMs: 1_900_000_000_000,
    ...overrides,
  };
};

/** how many of each answer code (or 'OK') a batch of results holds */
export const tally = (results: Array<{ ok: true } | { ok: false; code: string }>) => {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const code = r.ok ? 'OK' : r.code;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
};
