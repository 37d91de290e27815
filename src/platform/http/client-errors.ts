import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import { sendProblem, toAppError } from './problem-details.js';

/** What any request may be answered before it reaches a route (the API document lists them on every operation). */
export const ConnectionRefusals = {
  timeout: { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request took too long to arrive; send it again' },
  headersTooLarge: { status: 431, code: 'HEADERS_TOO_LARGE', detail: 'The request headers are too large; send at most 16 KiB of headers' },
  malformed: { status: 400, code: 'MALFORMED_REQUEST', detail: 'The request is not valid HTTP (a header holds a control character, or the request line is malformed)' },
} as const;

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (control bytes in a header, headers
 * over 16 KiB, a malformed request line, a request timeout) still get a problem+json answer: the
 * same contract as every other refusal, written straight to the socket since there is no request.
 */
/**
 * How long a refused connection stays open after its answer, reading and dropping what the client still
 * sends. Closed at once with input unread, the socket makes the kernel send a reset, and a reset wipes
 * the answer from a client's receive buffer if its event loop has not read it yet: a slow-body client
 * still dribbling (or any client on a busy machine) would see a bare reset instead of its 408. This is
 * the "lingering close" HTTP servers have done since Apache: end (FIN after the answer), drain, then close.
 */
export const LINGER_MS = 2_000;

// sockets already answered: the parser may fail again on what the client sends while the socket lingers
const answered = new WeakSet<Socket>();

export function answerClientError(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  const { status, code, detail } =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? ConnectionRefusals.timeout
      : err.code === 'HPE_HEADER_OVERFLOW' ? ConnectionRefusals.headersTooLarge
        : ConnectionRefusals.malformed;
  const body = JSON.stringify({ type: `https://floodgate.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: code, status, code, detail });
  if (!socket.writable) {
    socket.destroy(err);
    return;
  }
  answered.add(socket);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  // a client that read the answer closes its side; one that does not is cut off after the linger (a slow
  // client holds its socket LINGER_MS longer, never longer than that)
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.once('end', () => socket.destroy());
}

/** What the router refuses in a path with parameters (the API document lists them on those operations). */
export const RouterErrors = {
  parameterTooLong: () =>
    new AppError('PATH_PARAMETER_TOO_LONG', 'bad_request', 'A path parameter is too long; ids and slugs are at most a few hundred characters', {
      fields: [{ field: 'params', message: 'too long' }],
    }),
  badUrl: () => new AppError('BAD_URL', 'bad_request', 'The URL path is not valid percent-encoded UTF-8', { fields: [{ field: 'params', message: 'not valid percent-encoding' }] }),
};

/**
 * Fastify's router refusals (an undecodable URL such as `/v1/carts/%zz`, a path parameter over the
 * limit) as problems. They skip the hooks, so the headers the hooks would have set are set here, and
 * nothing names the framework or echoes the URL.
 */
export function answerFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  reply
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .header('cache-control', 'no-store')
    .header('x-request-id', req.id);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendProblem(reply, req, RouterErrors.parameterTooLong());
  if (err.code === 'FST_ERR_BAD_URL') return sendProblem(reply, req, RouterErrors.badUrl());
  return sendProblem(reply, req, toAppError(err));
}
