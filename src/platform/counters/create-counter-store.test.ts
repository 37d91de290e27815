import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createCounterStore } from './create-counter-store.js';

const silent = { info: () => {}, warn: () => {} };

describe('counter store choice', () => {
  it('when REDIS_URL is not set, then the in-process store serves', async () => {
    const chosen = createCounterStore({ redisUrl: loadConfig({}).redisUrl, logger: silent });
    expect(chosen.kind).toBe('memory');
    await chosen.store.load('s', { available: 1, holds: [], soldByMember: {}, sold: [] });
    expect(await chosen.store.snapshot('s')).toMatchObject({ available: 1 });
  });

  it('when REDIS_URL is not a redis url, then the configuration is refused naming it', () => {
    for (const bad of ['localhost:6379', 'http://127.0.0.1:6379']) expect(() => loadConfig({ REDIS_URL: bad }), bad).toThrow(/REDIS_URL/);
    expect(loadConfig({ REDIS_URL: 'rediss://cache.internal:6380/1' }).redisUrl).toBe('rediss://cache.internal:6380/1');
  });
});
