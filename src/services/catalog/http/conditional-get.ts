import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastAnswer } from '../../../platform/http/fast-lane.js';
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
function parseAcceptEncoding(header: string | string[] | undefined): Coding {
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

// browsers send a handful of distinct Accept-Encoding values: each is parsed once (the memo is emptied when full)
const negotiated = new Map<string, Coding>();

export function negotiateEncoding(header: string | string[] | undefined): Coding {
  if (typeof header !== 'string') return parseAcceptEncoding(header);
  let coding = negotiated.get(header);
  if (coding === undefined) {
    coding = parseAcceptEncoding(header);
    if (negotiated.size >= 256) negotiated.clear();
    negotiated.set(header, coding);
  }
  return coding;
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

/** The answer for a rendered entry: status, headers and body, the same whether Fastify or the fast lane sends it. */
function answerFor(coding: Coding, notModified: boolean, entry: RenderedResponse) {
  const body = coding === 'br' ? entry.br : coding === 'gzip' ? entry.gzip : undefined;
  const sent: Coding = body ? coding : 'identity';
  const common = {
    etag: `"${entry.hash}${SUFFIX[sent]}"`,
    'cache-control': PUBLIC_CACHE_CONTROL,
    // the body differs by coding; nothing here differs by Authorization (no customer data, ever)
    vary: 'accept-encoding',
    'surrogate-key': entry.surrogateKeys,
  };
  if (notModified) return { status: 304, headers: common, body: undefined };
  return {
    status: 200,
    headers: { ...common, ...(body ? { 'content-encoding': sent } : {}), 'content-type': 'application/json; charset=utf-8' },
    body: body ?? entry.body,
  };
}

/** One cache lookup's bytes onto the wire: no serialisation, hashing or compression per request. */
export function sendRendered(req: FastifyRequest, reply: FastifyReply, entry: RenderedResponse) {
  const answer = answerFor(negotiateEncoding(req.headers['accept-encoding']), matchesIfNoneMatch(req.headers['if-none-match'], entry.hash), entry);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

/** what the route's header schema accepts for certain (printable ASCII within its length): anything else goes to the route */
const PLAIN_VALIDATOR = /^[\x20-\x7e]{0,4096}$/;

// the lane's answers for an entry, per coding and 304: made on first use, gone with the entry
const prepared = new WeakMap<RenderedResponse, Map<string, FastAnswer>>();

/**
 * Offers a rendered entry's URL to the fast lane: later GETs of the same URL are answered from the entry
 * while it is fresh in this process. A validator the route might refuse is left to the route.
 */
export function rememberRendered(req: FastifyRequest, route: string, peek: () => RenderedResponse | undefined) {
  const lane = req.server.fastLane;
  lane?.remember(req.url, route, (headers) => {
    const validator = headers['if-none-match'];
    if (validator !== undefined && !PLAIN_VALIDATOR.test(validator)) return undefined;
    const entry = peek();
    if (!entry || entry.notFound) return undefined;
    const coding = negotiateEncoding(headers['accept-encoding']);
    const notModified = validator !== undefined && matchesIfNoneMatch(validator, entry.hash);
    let answers = prepared.get(entry);
    if (!answers) prepared.set(entry, (answers = new Map()));
    const key = notModified ? `304 ${coding}` : coding;
    let answer = answers.get(key);
    if (!answer) {
      const made = answerFor(coding, notModified, entry);
      answer = lane.prepare(made.status, made.headers, made.body);
      answers.set(key, answer);
    }
    return answer;
  });
}
