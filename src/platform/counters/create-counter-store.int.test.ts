import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { loadConfig } from '../../config.js';
import { createCounterStore } from './create-counter-store.js';

const silent = { info: () => {}, warn: () => {} };

describe.skipIf(!(await serviceAvailable('redis')))('counter store choice with Redis', () => {
  it('when REDIS_URL is set, then the Redis store serves and closing it closes its own connection', async () => {
    const chosen = createCounterStore({ redisUrl: loadConfig({ REDIS_URL: TEST_SERVICES.redis }).redisUrl, logger: silent, keyPrefix: `fgtest:${randomUUID()}:` });
    expect(chosen.kind).toBe('redis');
    if (chosen.kind !== 'redis') return;
    try {
      await chosen.store.load('s', { available: 2, holds: [], soldByMember: {}, sold: [] });
      expect(await chosen.store.snapshot('s')).toMatchObject({ available: 2 });
    } finally {
      await chosen.store.drop('s');
      await chosen.store.close();
    }
    expect(chosen.redis.status).toBe('end');
  });
});
