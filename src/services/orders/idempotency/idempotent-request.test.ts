import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { currentDeadline, runWithDeadline } from '../../../platform/resilience/deadline.js';
import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.js';
import { makeIdempotentRequest } from './idempotent-request.js';
import { releaseKeyAfterUndo } from './release-after-undo.js';

describe('idempotent request: the key of a failed request whose undo ran in the background', () => {
  it('is released once the undo landed, although the request that failed has run out of time', async () => {
    let now = 0;
    const claim: IdempotencyClaim = { customerId: 'c1', key: 'k1', lockedUntil: new Date(10_000), orderId: 'o1' };
    let released!: (outcome: string) => void;
    const release = new Promise<string>((resolve) => (released = resolve));
    const store: IdempotencyStore = {
      begin: async () => ({ outcome: 'started', claim }),
      complete: async () => true,
      // as the database pool does: a call under an expired deadline is refused at once
      release: async () => {
        if (currentDeadline()?.expired()) {
          released('refused: the request ran out of time');
          throw new Error('deadline passed before a database call');
        }
        released('released');
      },
      deleteCompletedBefore: async () => 0,
      findAbandoned: async () => [],
      seizeAbandoned: async () => false,
    };
    let landUndo!: (landed: boolean) => void;
    const idempotentRequest = makeIdempotentRequest({ store, logger: pino({ level: 'silent' }), clock: () => new Date(now), lockMs: 10_000 });

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
    expect(await release).toBe('released');
  });
});
