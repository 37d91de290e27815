import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeText } from '../../../platform/http/safe-text.js';
import type { RenderedResponse } from './rendered-response.js';

/**
 * Anonymous catalog reads: browsers keep an answer 2 s, a CDN 2 s too (`s-maxage`), and either may serve
 * it stale for 10 s more while it revalidates. Short, because the answer shows stock; the CDN is purged
 * by surrogate key when a product changes (cdn-purge.ts), so prices need not wait for it.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=2, s-maxage=2, stale-while-revalidate=10';

/** loose on purpose: every other header must pass through untouched; a malformed value only fails to match */
export const conditionalHeaders = z.looseObject({ 'if-none-match': safeText({ cardCheck: false }).max(4_096).optional() });

type Coding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Coding, string> = { br: '-br', gzip: '-gz', identity: '' };

/**
 * The coding to send: br when acceptable, else gzip, else none. A header that does not parse, or is
 * absurdly long, gets the identity body (always acceptable unless refused explicitly, RFC 9110 12.5.3,
 * which we do not honour with a 406: an uncompressed body is the safe answer to a confused client).
 */
export function negotiateEncoding(header: string | string[] | undefined): Coding {
  if (typeof header !== 'string' || header.length === 0 || header.length > 512) return 'identity';
  let br = false;
  let gzip = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (coding === 'br') br = true;
    else if (coding === 'gzip' || coding === 'x-gzip') gzip = true;
    else if (coding === '*') br = gzip = true;
  }
  return br ? 'br' : gzip ? 'gzip' : 'identity';
}

/** If-None-Match uses the weak comparison (RFC 9110 13.1.2): any coding's tag, weak or strong, matches its body */
export function matchesIfNoneMatch(header: string | string[] | undefined, hash: string): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  for (const raw of header.split(',')) {
    let tag = raw.trim();
    if (tag === '*') return true;
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag.length < 2 || !tag.startsWith('"') || !tag.endsWith('"')) continue;
    tag = tag.slice(1, -1);
    if (tag === hash || tag === hash + SUFFIX.br || tag === hash + SUFFIX.gzip) return true;
  }
  return false;
}

/** One cache lookup's bytes onto the wire: no serialisation, hashing or compression per request. */
export function sendRendered(req: FastifyRequest, reply: FastifyReply, entry: RenderedResponse) {
  const coding = negotiateEncoding(req.headers['accept-encoding']);
  const body = coding === 'br' ? entry.br : coding === 'gzip' ? entry.gzip : undefined;
  const sent: Coding = body ? coding : 'identity';
  reply
    .header('etag', `"${entry.hash}${SUFFIX[sent]}"`)
    .header('cache-control', PUBLIC_CACHE_CONTROL)
    // the body differs by coding; nothing here differs by Authorization (no customer data, ever)
    .header('vary', 'accept-encoding')
    .header('surrogate-key', entry.surrogateKeys);
  if (matchesIfNoneMatch(req.headers['if-none-match'], entry.hash)) return reply.code(304).send();
  if (body) reply.header('content-encoding', sent);
  return reply.type('application/json; charset=utf-8').send(body ?? entry.body);
}
