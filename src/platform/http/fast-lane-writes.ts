import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyRequest, RequestPayload } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AppError } from './app-error.js';
import { BROTLI_QUALITY, COMPRESSION_THRESHOLD_BYTES, GZIP_LEVEL } from './response-compression.js';

/** What a write's work answers: the route's status, JSON body and own headers, or the refusal its route would throw. */
export type FastWriteResult = { status: number; body: string; headers?: Readonly<Record<string, string>> } | { error: AppError };

/**
 * A POST the lane may answer (`FastLane.write`). Asked from the URL and the headers before anything else is done
 * (no token is looked at for a URL the write does not take): undefined lets the framework answer. The function it
 * answers is given the parsed body and the caller, and answers the work to do, or undefined when the body is not one
 * it takes (anything its route's schema would not accept unchanged): the framework then answers the same bytes, as if
 * the lane had never looked.
 */
export type FastWrite = (url: string, headers: IncomingHttpHeaders) => ((body: unknown, principal: Principal) => (() => Promise<FastWriteResult>) | undefined) | undefined;

/**
 * The rate-limit headers of a write the lane counted against `limits` for `principal` (rate-limiting.ts), or
 * undefined when the framework must count it (a limit keyed by something else, a key refused: its 429 is the
 * framework's). Counted only once the lane takes the request, so a request handed over is counted once.
 */
export type LaneLimits = (limits: readonly string[], principal: Principal) => Record<string, string> | undefined | Promise<Record<string, string> | undefined>;

/** Runs a write's work inside the request's context, as the framework runs a handler (request-deadline.ts). */
export type LaneScope = <T>(requestId: string, traceparent: string | undefined, arrivedAt: number, work: () => T) => T;

/** The request line of a lane answer (request-log.ts): level and folding as the framework's. */
export type LaneObserver = (route: string, method: string, status: number, durationMs: number, code: string | undefined, requestId: string) => void;

/** the largest body the lane reads; larger ones are the framework's (which holds the real limit) */
export const LANE_MAX_BODY_BYTES = 4_096;

const replays = new WeakMap<IncomingMessage, Buffer>();

/**
 * Whether the lane may read this request's body and answer it: a plain JSON upload of a known small length.
 * Everything else (chunked or compressed uploads, `Expect`, API keys) stays with the framework, untouched.
 */
export function laneMayRead(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type === undefined) return false;
  const lower = type.toLowerCase();
  if (lower !== 'application/json' && lower !== 'application/json; charset=utf-8') return false;
  const length = headers['content-length'];
  if (length === undefined || !/^\d{1,5}$/.test(length) || Number(length) > LANE_MAX_BODY_BYTES) return false;
  if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined || headers.expect !== undefined) return false;
  return headers['x-api-key'] === undefined;
}

/**
 * The coding the framework would compress an answer of this request with when it is over the threshold
 * (response-compression.ts: br, then gzip, at equal weight): null for none, undefined when the request says more
 * than the lane reads (weights, `*`, `x-no-compression`) and the framework must negotiate it.
 */
export function laneCoding(headers: IncomingHttpHeaders): 'br' | 'gzip' | null | undefined {
  if (headers['x-no-compression'] !== undefined) return undefined;
  const accepted = headers['accept-encoding'];
  if (accepted === undefined || accepted === '') return null;
  if (accepted.includes(';') || accepted.includes('*')) return undefined;
  const codings = accepted.toLowerCase().split(',').map((c) => c.trim());
  return codings.includes('br') ? 'br' : codings.includes('gzip') ? 'gzip' : null;
}

const BROTLI = { params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } };

/** `body` as the framework sends it to a client accepting `coding`: compressed over the threshold, with its headers */
export function laneEncode(body: Buffer, coding: 'br' | 'gzip' | null): { body: Buffer; headers: Record<string, string> } {
  if (coding === null || body.length < COMPRESSION_THRESHOLD_BYTES) return { body, headers: {} };
  const encoded = coding === 'br' ? brotliCompressSync(body, BROTLI) : gzipSync(body, { level: GZIP_LEVEL });
  return { body: encoded, headers: { vary: 'accept-encoding', 'content-encoding': coding } };
}

/** Reads the whole body, then `then(body)`; a request that fails or is aborted meanwhile is dropped. */
export function readLaneBody(req: IncomingMessage, res: ServerResponse, then: (body: Buffer) => void) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => then(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  req.on('error', () => res.destroy());
}

/** Hands a request whose body the lane read to the framework, which parses it from `replayLaneBody`. */
export function handOver(req: IncomingMessage, res: ServerResponse, body: Buffer, framework: (req: IncomingMessage, res: ServerResponse) => void) {
  replays.set(req, body);
  framework(req, res);
}

/**
 * The `preParsing` hook of every route that has a lane write: a request the lane read and handed over is parsed
 * from the bytes it read (its socket has nothing left to give).
 */
export function replayLaneBody(req: Pick<FastifyRequest, 'raw'>, _reply: unknown, payload: RequestPayload, done: (err: null, stream: RequestPayload) => void) {
  const body = replays.get(req.raw);
  if (body === undefined) return done(null, payload);
  replays.delete(req.raw);
  const replay = new PassThrough();
  replay.end(body);
  done(null, replay);
}
