import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, redactedUrl } from './redis-connection.js';

describe('redis reconnect backoff', () => {
  it('when attempts go on, then the delay doubles from 50 ms and never passes the ceiling', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6].map((n) => reconnectDelayMs(n, 2_000, top))).toEqual([50, 100, 200, 400, 800, 1_600]);
    expect(reconnectDelayMs(7, 2_000, top)).toBe(2_000);
    expect(reconnectDelayMs(10_000, 2_000, top)).toBe(2_000);
  });

  it('when drawn with jitter, then each delay lies in the upper half of its step', () => {
    expect(reconnectDelayMs(3, 2_000, () => 0)).toBe(100);
    for (let i = 0; i < 100; i++) {
      const delay = reconnectDelayMs(20, 2_000);
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });
});

describe('redis url in logs', () => {
  it('when the url carries a password, then the logged url hides it', () => {
    expect(redactedUrl('redis://app:s3cret@cache:6379/2')).toBe('redis://app:***@cache:6379/2');
    expect(redactedUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactedUrl('not a url')).not.toContain('not a url');
  });
});
