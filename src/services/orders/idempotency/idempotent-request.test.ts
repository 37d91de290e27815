import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createBackgroundRetries } from '../../../platform/resilience/background-retries.js';
import { currentDeadline, runWithDeadline } from '../../../platform/resilience/deadline.js';
import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.js';
import { makeIdempotentRequest } from './idempotent-request.js';
import { releaseKeyAfterUndo } from './release-after-undo.js';

const logger = pino({ level: 'silent' });

/** A store with one claim whose release answers as `release` says; it counts the attempts and records the last outcome. */
function storeWith(claim: IdempotencyClaim, release: (attempt: number) => void) {
  const log: string[] = [];
  let attempts = 0;
  const store: IdempotencyStore = {
    begin: async () => ({ outcome: 'started', claim }),
    complete: async () => true,
    release: async () => {
      attempts++;
      try {
        release(attempts);
      } catch (err) {
        log.push(`refused: ${(err as Error).message}`);
        throw err;
      }
      log.push('released');
    },
    deleteCompletedBefore: async () => 0,
    findAbandoned: async () => [],
    seizeAbandoned: async () => false,
  };
  return { store, log, attempts: () => attempts };
}

// as the database pool does: a call under an expired deadline is refused at once
const refusedPastDeadline = () => {
  if (currentDeadline()?.expired()) throw new Error('deadline passed before a database call');
};

describe('idempotent request: the key of a failed request', () => {
  it('is released once its background undo landed, although the request that failed has run out of time', async () => {
    let now = 0;
    const claim: IdempotencyClaim = { customerId: 'c1', key: 'k1', lockedUntil: new Date(10_000), orderId: 'o1' };
    const { store, log } = storeWith(claim, refusedPastDeadline);
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 1, maxMs: 5 } });
    let landUndo!: (landed: boolean) => void;
    const idempotentRequest = makeIdempotentRequest({ store, logger, clock: () => new Date(now), lockMs: 10_000, retries });

    const failed = runWithDeadline(1_000, () =>
      idempotentRequest({ customerId: 'c1', key: 'k1' }, { cartId: 'cart' }, async () => {
        const err = new Error('the order could not be written');
        releaseKeyAfterUndo(err, new Promise<boolean>((resolve) => (landUndo = resolve)));
        throw err;
      }),
      { now: () => now },
    );
    await expect(failed).rejects.toThrow('the order could not be written');
    // the request's time runs out, then its undo lands in the background
    now = 2_000;
    landUndo(true);
    await expect.poll(() => log).toEqual(['released']);
  });

  it('is released in the background when the release at once failed (a database blip), so a retry after the lock starts afresh', async () => {
    const claim: IdempotencyClaim = { customerId: 'c1', key: 'k1', lockedUntil: new Date(Date.now() + 10_000), orderId: 'o1' };
    const { store, log } = storeWith(claim, (attempt) => {
      if (attempt <= 2) throw new Error('connection terminated unexpectedly');
    });
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 1, maxMs: 5 } });
    const idempotentRequest = makeIdempotentRequest({ store, logger, lockMs: 10_000, retries });

    await expect(idempotentRequest({ customerId: 'c1', key: 'k1' }, {}, async () => Promise.reject(new Error('the order could not be written')))).rejects.toThrow('the order could not be written');
    await expect.poll(() => log).toEqual(['refused: connection terminated unexpectedly', 'refused: connection terminated unexpectedly', 'released']);
    expect(retries.pending()).toBe(0);
  });

  it('is left to lapse when the release keeps failing until the lock ends: no attempt is made past it', async () => {
    const now = 0;
    const claim: IdempotencyClaim = { customerId: 'c1', key: 'k1', lockedUntil: new Date(0), orderId: 'o1' };
    const { store, attempts } = storeWith(claim, () => {
      throw new Error('connection refused');
    });
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 1, maxMs: 5 } });
    const idempotentRequest = makeIdempotentRequest({ store, logger, clock: () => new Date(now), lockMs: 10_000, retries });
    await expect(idempotentRequest({ customerId: 'c1', key: 'k1' }, {}, async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    await expect.poll(() => retries.pending()).toBe(0);
    // the release at once, then one background attempt under a deadline already spent (the lock has lapsed): refused, not retried
    expect(attempts()).toBe(2);
  });
});
