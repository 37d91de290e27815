import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { LIMITS, LIMIT_NAMES } from './platform/rate-limits/limit-catalogue.js';

describe('limits in config', () => {
  it('when nothing is set, then every limit has its documented default, shedding is on and only loopback proxies are trusted', () => {
    const config = loadConfig({});
    for (const name of LIMIT_NAMES) expect(config.limits.limits[name], name).toEqual(LIMITS[name].default);
    expect(config.limits.loginLockout).toEqual({ freeFailures: 5, baseSeconds: 2, maxSeconds: 900, memorySeconds: 86_400 });
    expect(config.trustProxy).toEqual(['loopback']);
    expect(config.shedding).toEqual({
      enabled: true,
      eventLoopDelayMs: 100,
      concurrency: { initial: 256, min: 32, max: 2_048 },
      latency: { targetMs: { low: 100, normal: 100, high: 150, critical: 250 }, intervalMs: 500, recoveryMs: 1_000 },
      sampleIntervalMs: 250,
    });
    expect(config.maxOpenCartsPerCustomer).toBe(20);
  });

  it('when a limit is set as points per window, then it is read in s, m, h or d', () => {
    const config = loadConfig({ RATE_LIMIT_LOGIN_PER_ADDRESS: '5/30s', RATE_LIMIT_CHECKOUT_PER_CUSTOMER: '100/2h', RATE_LIMIT_GUEST_PER_ADDRESS: ' 7 / 1d ' });
    expect(config.limits.limits['login-per-address']).toEqual({ points: 5, durationSeconds: 30 });
    expect(config.limits.limits['checkout-per-customer']).toEqual({ points: 100, durationSeconds: 7_200 });
    expect(config.limits.limits['guest-per-address']).toEqual({ points: 7, durationSeconds: 86_400 });
  });

  it.each([
    ['RATE_LIMIT_LOGIN_PER_ADDRESS', 'abc'],
    ['RATE_LIMIT_LOGIN_PER_ADDRESS', '-5/1m'],
    ['RATE_LIMIT_CART_WRITE_PER_CUSTOMER', '0/1m'],
    ['RATE_LIMIT_CART_WRITE_PER_CUSTOMER', '10'],
    ['RATE_LIMIT_ADMIN_PER_API_KEY', '10/0s'],
    ['RATE_LIMIT_REGISTER_PER_ADDRESS', '10/30d'],
    ['LOGIN_LOCKOUT_MAX_SECONDS', '-1'],
    ['LOGIN_LOCKOUT_FREE_FAILURES', 'five'],
    ['CARTS_MAX_OPEN_PER_CUSTOMER', '0'],
    ['OVERLOAD_EVENT_LOOP_DELAY_MS', 'fast'],
    ['LOAD_SHEDDING', 'maybe'],
    ['OVERLOAD_LATENCY_TARGET_LOW_MS', '-5'],
    ['OVERLOAD_LATENCY_TARGET_CRITICAL_MS', 'slow'],
    ['OVERLOAD_LATENCY_INTERVAL_MS', '1.5'],
    ['OVERLOAD_LATENCY_RECOVERY_MS', '0'],
    ['OVERLOAD_SAMPLE_INTERVAL_MS', '5'],
    ['TRUST_PROXY', 'my-proxy.example.com'],
  ])('when %s is %j, then loading fails with one line naming it', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('when TRUST_PROXY is a hop count, true, false or a list, then trustProxy takes that form', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
  });

  it('when the latency interval is 0, then the latency signal is off and the rest of shedding stays on', () => {
    const config = loadConfig({ OVERLOAD_LATENCY_INTERVAL_MS: '0', OVERLOAD_LATENCY_TARGET_HIGH_MS: '80' });
    expect(config.shedding.enabled).toBe(true);
    expect(config.shedding.latency).toBeUndefined();
    expect(loadConfig({ OVERLOAD_LATENCY_TARGET_HIGH_MS: '80' }).shedding.latency?.targetMs.high).toBe(80);
  });

  it('when the concurrency bounds contradict each other, then loading fails naming them', () => {
    expect(() => loadConfig({ OVERLOAD_CONCURRENCY_MIN: '500', OVERLOAD_CONCURRENCY_INITIAL: '100' })).toThrow(/OVERLOAD_CONCURRENCY_INITIAL/);
  });
});
