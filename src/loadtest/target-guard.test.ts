import { describe, expect, it } from 'vitest';
import { runLoadTest } from './run-load-test.js';
import { assertLoopbackTarget, isLoopbackHost } from './target-guard.js';

describe('loopback-only target guard', () => {
  it.each(['http://127.0.0.1:8080', 'http://localhost:8080/', 'http://[::1]:8080', 'http://127.42.0.9', 'https://localhost', 'http://2130706433:8080'])(
    'when the target is %s, then it is accepted',
    (target) => {
      expect(isLoopbackHost(assertLoopbackTarget(target).hostname)).toBe(true);
    },
  );

  it.each([
    'http://10.0.0.5:8080',
    'http://192.168.1.1',
    'http://example.com',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://[::ffff:8.8.8.8]',
    'http://0.0.0.0:8080',
    'http://[::]:8080',
  ])('when the target is %s, then it is refused', (target) => {
    expect(() => assertLoopbackTarget(target)).toThrow(/only targets this machine/);
  });

  it('when the target is not an http URL, then it is refused with a hint', () => {
    expect(() => assertLoopbackTarget('127.0.0.1:8080')).toThrow(/http/);
    expect(() => assertLoopbackTarget('ftp://127.0.0.1')).toThrow(/http:\/\//);
    expect(() => assertLoopbackTarget('not a url')).toThrow(/not a URL/);
  });

  it('when the target carries credentials, then it is refused', () => {
    expect(() => assertLoopbackTarget('http://admin:secret@127.0.0.1:8080')).toThrow(/credentials/);
  });

  it('when runLoadTest gets a remote target, then it refuses before sending anything', async () => {
    await expect(runLoadTest({ scenario: 'browse', target: 'http://93.184.216.34', outDir: false, progress: false })).rejects.toThrow(/only targets this machine/);
  });
});
