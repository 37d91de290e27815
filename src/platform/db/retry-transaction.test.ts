import { describe, expect, it } from 'vitest';
import { withTransactionRetry } from './retry-transaction.js';

const sqlError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('withTransactionRetry', () => {
  it('when a unit of work loses a serialization conflict, a deadlock and its connection, then it is rerun until it succeeds', async () => {
    const failures = [sqlError('40001'), sqlError('40P01'), new Error('Connection terminated unexpectedly')];
    let runs = 0;
    const result = await withTransactionRetry(async () => {
      runs++;
      const next = failures.shift();
      if (next) throw next;
      return 'done';
    });
    expect(result).toBe('done');
    expect(runs).toBe(4);
  });

  it('when the failure is not transient, or the database is down (refused, timed out), then it is not rerun', async () => {
    for (const err of [sqlError('23505'), sqlError('ECONNREFUSED'), new Error('Query read timeout'), new Error('business rule')]) {
      let runs = 0;
      await expect(
        withTransactionRetry(async () => {
          runs++;
          throw err;
        }),
      ).rejects.toBe(err);
      expect(runs).toBe(1);
    }
  });

  it('when the conflict persists, then it gives up after the retries with the last error', async () => {
    let runs = 0;
    await expect(
      withTransactionRetry(async () => {
        runs++;
        throw sqlError('40001', `attempt ${runs}`);
      }, { retries: 2, initialDelayMs: 1 }),
    ).rejects.toThrow('attempt 3');
    expect(runs).toBe(3);
  });

});
