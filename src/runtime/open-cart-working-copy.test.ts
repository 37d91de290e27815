import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openCartWorkingCopy } from './open-shared-state.js';

const logger = pino({ level: 'silent' });

describe('which working copy carts get', () => {
  it('when nothing is set, then the all-in-one keeps carts in memory, written back every 50 ms at most with Redis', () => {
    const config = loadConfig({});
    expect(config.carts).toEqual({ writeBack: true, writeBackThread: true, flushIntervalMs: 50, memoryMaxCarts: 10_000 });
    expect(openCartWorkingCopy(config, logger, 'all-in-one').workingCopy?.kind).toBe('memory');
  });

  it('when `serve carts` has no Redis, then it has no working copy: several instances would each hold their own', () => {
    expect(openCartWorkingCopy(loadConfig({}), logger, 'service').workingCopy).toBeUndefined();
  });

  it('when CARTS_WRITE_BACK is off, then nobody gets one, Redis or not', () => {
    const config = loadConfig({ CARTS_WRITE_BACK: 'off', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(openCartWorkingCopy(config, logger, 'all-in-one').workingCopy).toBeUndefined();
    expect(openCartWorkingCopy(config, logger, 'service').workingCopy).toBeUndefined();
  });

  it('when REDIS_URL is set, then every process uses Redis, and closing releases the connection', async () => {
    // a port nobody listens on: the connection is lazy about failing, and close() ends it
    const opened = openCartWorkingCopy(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', CARTS_FLUSH_INTERVAL_MS: '200' }), logger, 'service');
    expect(opened.workingCopy?.kind).toBe('redis');
    await opened.close();
  });

  it('when the flush interval is out of range, then the configuration is refused', () => {
    expect(() => loadConfig({ CARTS_FLUSH_INTERVAL_MS: '0' })).toThrow(/CARTS_FLUSH_INTERVAL_MS/);
  });
});
