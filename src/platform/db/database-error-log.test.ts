import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDatabaseErrorLog } from './database-error-log.js';

describe('database error log', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('when 500 connection errors arrive in a burst, then the log gets one line at once and one summary per interval, without stacks', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const log = createDatabaseErrorLog(logger, { intervalMs: 10_000 });
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

    for (let i = 0; i < 300; i++) log.report(err);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'database connection error', error: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432' });

    vi.advanceTimersByTime(10_000);
    for (let i = 0; i < 200; i++) log.report(err);
    vi.advanceTimersByTime(10_000);
    expect(lines.map((l) => l.count)).toEqual([undefined, 299, 200]);
    vi.advanceTimersByTime(60_000); // quiet: no more lines, and the next error is announced at once again
    expect(lines).toHaveLength(3);
    log.report(err);
    expect(lines).toHaveLength(4);
    expect(JSON.stringify(lines)).not.toMatch(/\s+at /);
    log.close();
  });
});
