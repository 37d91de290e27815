import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeDatabaseError } from '../db/database-errors.js';
import { createAggregatedFailureLog } from './failure-log.js';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED' });

describe('aggregated failure log', () => {
  afterEach(() => void vi.useRealTimers());

  it('when a dependency fails 200 times in one interval, then it writes one line at the start and one summary with the count, and no stack', () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    const log = createAggregatedFailureLog({ logger, dependency: 'orders-outbox-relay', intervalMs: 10_000 });
    for (let i = 0; i < 200; i++) log.failure('order.placed', refused());
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 40, key: 'order.placed', failures: 199, lastError: 'connect ECONNREFUSED 127.0.0.1:4010' });
    expect(JSON.stringify(lines)).not.toContain('    at ');
    log.success('order.placed');
    expect(lines[2]).toMatchObject({ level: 30, key: 'order.placed', failures: 200 });
    log.close();
  });

  it('when failures are logged at debug, then each one carries its stack', () => {
    const { logger, lines } = capture('debug');
    const log = createAggregatedFailureLog({ logger, dependency: 'psp' });
    log.failure('charge', refused());
    log.failure('charge', refused());
    expect(lines.filter((l) => l.level === 20 && JSON.stringify(l.err).includes('    at '))).toHaveLength(2);
    log.close();
  });

  it('when the failure is not a transient one (a bug), then its first line keeps the stack, and later ones are still counted, not repeated', () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    const log = createAggregatedFailureLog({ logger, dependency: 'inventory-reservation-expiry', intervalMs: 1_000 });
    for (let i = 0; i < 5; i++) log.failure('pass', new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0]?.err)).toContain('    at ');
    vi.advanceTimersByTime(1_000);
    expect(lines[1]).toMatchObject({ failures: 4 });
    // quiet for a whole interval: the next failure announces itself again
    vi.advanceTimersByTime(1_000);
    log.failure('pass', refused());
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ error: 'connect ECONNREFUSED 127.0.0.1:4010' });
    log.close();
  });

  it('when 500 database connection errors arrive in a burst, then the log gets one line at once and one summary per interval, without stacks', () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    // configured as createPostgresDatabase configures it for pool and client errors
    const log = createAggregatedFailureLog({ logger, dependency: 'database', intervalMs: 10_000, isTransient: () => true, describe: describeDatabaseError });
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const report = () => log.failure('connection', err, { pool: 'primary' });

    for (let i = 0; i < 300; i++) report();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ dependency: 'database', key: 'connection', pool: 'primary', error: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432' });

    vi.advanceTimersByTime(10_000);
    for (let i = 0; i < 200; i++) report();
    vi.advanceTimersByTime(10_000);
    expect(lines.map((l) => l.failures)).toEqual([undefined, 299, 200]);
    expect(lines[2]).toMatchObject({ pool: 'primary', lastError: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432' });
    vi.advanceTimersByTime(60_000); // quiet: no more lines, and the next error is announced at once again
    expect(lines).toHaveLength(3);
    report();
    expect(lines).toHaveLength(4);
    expect(JSON.stringify(lines)).not.toMatch(/\s+at /);
    log.close();
  });
});
