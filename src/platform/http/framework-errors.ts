import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import { sendProblem } from './problem-details.js';

/**
 * Errors Fastify raises before routing (a URL that is not valid percent-encoding, an over-long
 * parameter) skip the error handler and the hooks, and by default answer Fastify's own JSON with
 * an `FST_ERR_…` code and the URL echoed back. They get our problem+json instead, with the
 * headers the hooks would have set, so nothing names the framework.
 */
export function frameworkErrorsAsProblems(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  reply
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .header('cache-control', 'no-store')
    .header('x-request-id', req.id);
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('URL_TOO_LONG', 'bad_request', 'A path parameter is too long')
      : error.code === 'FST_ERR_BAD_URL'
        ? new AppError('MALFORMED_URL', 'bad_request', 'The URL is not valid: check its percent-encoding')
        : new AppError('BAD_REQUEST', 'bad_request', 'The request could not be routed');
  return sendProblem(reply, req, problem);
}
