import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';

describe('AppError', () => {
  it('when an error answers the client (4xx), then it carries its name and message but no stack frames', () => {
    const err = new AppError('FLASH_SALE_SOLD_OUT', 'conflict', 'The sale is sold out');
    expect(err.stack).toBe('AppError: The sale is sold out');
    expect(err).toMatchObject({ code: 'FLASH_SALE_SOLD_OUT', kind: 'conflict', message: 'The sale is sold out', details: {} });
  });

  it('when an error is ours (5xx), then its stack names where it was made', () => {
    for (const kind of ['internal', 'unavailable'] as const) {
      const err = new AppError('X', kind, 'broken');
      expect(err.stack?.split('\n').length, kind).toBeGreaterThan(1);
      expect(err.stack, kind).toContain('app-error.test.ts');
    }
  });

  it('when errors are made, then the process keeps its own stack trace limit', () => {
    const before = Error.stackTraceLimit;
    void new AppError('X', 'bad_request', 'invalid');
    void new AppError('Y', 'internal', 'broken');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('plain').stack?.split('\n').length).toBeGreaterThan(1);
  });
});
