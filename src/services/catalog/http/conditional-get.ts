import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeText } from '../../../platform/http/safe-text.js';

/**
 * Browsing is the traffic that spikes: let browsers and CDNs keep an answer for 5 s and serve it
 * stale for 30 more while they revalidate, and answer revalidations with a body-less 304.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=30';

/** loose on purpose: every other header must pass through untouched */
export const conditionalHeaders = z.looseObject({ 'if-none-match': safeText({ cardCheck: false }).max(4_096).optional() });

// weak: the same JSON may be sent compressed or not, which a strong validator would distinguish
const weakEtag = (body: string) => `W/"${createHash('sha1').update(body).digest('base64url')}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.slice(2);
  // If-None-Match uses weak comparison (RFC 9110 13.1.2): W/"x" and "x" match
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || tag === etag || tag === opaque;
  });
}

/** Serialises once, derives the ETag from exactly those bytes, and answers 304 when the client has them. */
export function sendCacheable(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const body = JSON.stringify(payload);
  const etag = weakEtag(body);
  reply.header('etag', etag).header('cache-control', PUBLIC_CACHE_CONTROL);
  if (matches(req.headers['if-none-match'], etag)) return reply.code(304).send();
  // a string with a JSON content type is sent as is: no second serialisation on the hot path
  return reply.type('application/json; charset=utf-8').send(body);
}
