import type { FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';

export interface HttpTimeouts {
  /** the whole request (headers and body) must arrive within this; a slow-body client gets 408 and is cut off */
  requestMs: number;
  /** the request headers must arrive within this (a slow-loris client is cut off) */
  headersMs: number;
  /** an idle keep-alive connection is closed after this */
  keepAliveMs: number;
  /** a socket with no traffic in either direction is closed after this */
  connectionMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, connectionMs: 120_000 };

/**
 * Fastify server options for the socket timeouts. Node enforces the request and headers timeouts
 * only when it sweeps its connection list (every 30 s by default), so the sweep runs often enough
 * that a slow client is cut off close to its deadline rather than up to 30 s later.
 */
export function serverTimeouts(t: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS): Pick<FastifyHttpOptions<Server>, 'http' | 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout'> {
  const sweepMs = Math.max(100, Math.min(1_000, Math.floor(t.headersMs / 4)));
  return {
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionTimeout: t.connectionMs,
    http: { requestTimeout: t.requestMs, headersTimeout: t.headersMs, connectionsCheckingInterval: sweepMs },
  };
}
