import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, privateRedisAvailable, startPrivateRedis } from './private-redis.js';

describe.skipIf(!privateRedisAvailable())('private Redis', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await startPrivateRedis();
  });
  afterAll(() => server?.[Symbol.asyncDispose]());

  it('when started, then it answers on its own port and keeps a key', async () => {
    expect(server.port).not.toBe(6379);
    expect(await server.command('SET', 'k', 'v')).toBe('+OK');
    expect(await server.command('DBSIZE')).toBe(':1');
  });

  it('when flushed, then its keys are gone and it keeps answering', async () => {
    await server.command('SET', 'k2', 'v');
    await server.flush();
    expect(await server.command('DBSIZE')).toBe(':0');
  });

  it('when killed, then its port refuses; when restarted, then it answers on the same port, empty', async () => {
    await server.command('SET', 'k3', 'v');
    const before = server.pid;
    await server.kill();
    await expect(server.command('PING')).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.pid).not.toBe(before);
    expect(await server.command('PING')).toBe('+PONG');
    expect(await server.command('DBSIZE')).toBe(':0');
  });

  it('when disposed, then its process is gone and its temp dir removed', async () => {
    const other = await startPrivateRedis();
    const { baseDir, port } = other;
    await other[Symbol.asyncDispose]();
    await expect(other.command('PING')).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(baseDir)).toBe(false);
    expect(port).toBeGreaterThan(0);
  });
});
