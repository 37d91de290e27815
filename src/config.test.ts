import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('security settings in config', () => {
  it('when nothing is set, then no CORS origin is allowed, no ops token is required and the timeouts have safe defaults', () => {
    const config = loadConfig({});
    expect(config.corsOrigins).toEqual([]);
    expect(config.opsToken).toBeUndefined();
    expect(config.production).toBe(false);
    expect(config.httpTimeouts).toEqual({ requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, connectionMs: 120_000 });
  });

  it('when CORS_ORIGINS lists exact origins, then they are kept; a path, a wildcard or another scheme is refused', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://shop.example.com, http://127.0.0.1:3000' }).corsOrigins).toEqual(['https://shop.example.com', 'http://127.0.0.1:3000']);
    for (const bad of ['*', 'https://shop.example.com/', 'https://*.example.com', 'shop.example.com', 'ftp://shop.example.com', 'null']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
  });

  it('when NODE_ENV=production has no ops token (or an empty one), then loading fails with one line naming FLOODGATE_OPS_TOKEN', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', FLOODGATE_OPS_TOKEN: '' }]) {
      expect(() => loadConfig(env)).toThrow(/^FLOODGATE_OPS_TOKEN is required when NODE_ENV=production[^\n]*$/);
    }
    expect(loadConfig({ NODE_ENV: 'production', FLOODGATE_OPS_TOKEN: 'a'.repeat(32) }).production).toBe(true);
  });

  it('when the ops token is short or the headers timeout exceeds the request timeout, then loading fails', () => {
    expect(() => loadConfig({ FLOODGATE_OPS_TOKEN: 'short' })).toThrow(/FLOODGATE_OPS_TOKEN/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});
