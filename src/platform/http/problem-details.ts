import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { dataExceptionCode } from '../db/data-exceptions.js';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { AppError, CommonErrors, isAppError, type ErrorKind, type FieldError } from './app-error.js';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export const statusOf = (kind: ErrorKind) => STATUS[kind];

/** RFC 9457 body; `code` is the stable identifier clients switch on. */
export function problemBody(error: AppError, req: Pick<FastifyRequest, 'url' | 'id'>) {
  const status = STATUS[error.kind];
  return {
    type: `https://floodgate.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.code,
    status,
    code: error.code,
    detail: error.message,
    instance: req.url,
    requestId: req.id,
    ...(error.details.fields ? { errors: error.details.fields } : {}),
  };
}

const rejections = new WeakMap<FastifyRequest, string>();

/**
 * The catalogue code a request was refused with (sendProblem), for its request line (request-log.ts): the line names
 * it, and is folded with its like, instead of a second line per refusal that nothing folded (a sold-out sale answers
 * thousands a second).
 */
export const rejectionCodeOf = (req: FastifyRequest): string | undefined => rejections.get(req);

export function sendProblem(reply: FastifyReply, req: FastifyRequest, error: AppError) {
  rejections.set(req, error.code);
  const body = problemBody(error, req);
  if (error.details.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.details.retryAfterSeconds));
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** Translate Fastify's own errors (parsing, limits, validation) into our catalogue, so input never yields a 500. */
export function toAppError(err: FastifyError | Error): AppError {
  if (isAppError(err)) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    // Fastify names the query string 'querystring'; the API documents fields as query.<name>
    const rawContext = (err as { validationContext?: string }).validationContext ?? 'body';
    const context = rawContext === 'querystring' ? 'query' : rawContext;
    const fields: FieldError[] = err.validation.map((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
      // fastify-type-provider-zod copies the zod issue's fields into params (unrecognized_keys → params.keys)
      const params = issue.params as { keys?: string[]; issue?: { keys?: string[] } } | undefined;
      const unknownKeys = params?.keys ?? params?.issue?.keys;
      const field = unknownKeys?.length ? [path, ...unknownKeys].filter(Boolean).join('.') : path;
      return { field: [context, field].filter(Boolean).join('.'), message: issue.message ?? 'invalid' };
    });
    return CommonErrors.validation(fields);
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'payload_too_large', 'The request body is too large; send at most 64 KiB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported_media_type', 'Send JSON with Content-Type: application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return CommonErrors.validation([{ field: 'body', message: 'a JSON body is required' }]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_CONTENT_LENGTH', 'bad_request', 'Content-Length does not match the body');
    default:
      break;
  }
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return CommonErrors.validation([{ field: 'body', message: 'the body is not valid JSON' }]);
  }
  if (dataExceptionCode(err)) {
    return new AppError('INVALID_VALUE', 'bad_request', 'A value in the request is out of range, too long or holds characters that cannot be stored; check the values you sent');
  }
  if (isDatabaseUnavailable(err)) return CommonErrors.databaseUnavailable();
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(fe.code ?? 'BAD_REQUEST', fe.statusCode === 404 ? 'not_found' : fe.statusCode === 429 ? 'rate_limited' : 'bad_request', fe.message);
  }
  return new AppError('INTERNAL', 'internal', 'Something went wrong on our side; it has been logged. Retry, or contact support with the requestId');
}

/** What an error a handler threw answers, logged as the error handler logs it (the HTTP fast lane's writes use it too). */
export function unexpectedError(err: unknown, log: Pick<FastifyBaseLogger, 'error' | 'warn'>, route: string | undefined): AppError {
  const appError = toAppError(err as Error);
  if (appError.kind === 'internal') log.error({ err }, 'unhandled error');
  // a data exception means validation let a value through: worth fixing, so it is a warning with its SQLSTATE
  else if (appError.code === 'INVALID_VALUE') log.warn({ code: appError.code, sqlstate: dataExceptionCode(err), route }, 'database refused a request value');
  // a refusal's code is on its request line (request-log.ts), folded with its like: no line of its own
  return appError;
}

export function registerProblemDetails(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => sendProblem(reply, req, unexpectedError(err, req.log, req.routeOptions.url)));
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, CommonErrors.routeNotFound(req.method, req.url.split('?')[0] ?? req.url)));
}
