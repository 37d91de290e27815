import type { RouteOptions } from 'fastify';
import { CommonErrors, type AppError } from './app-error.js';
import { documentedError, type DocumentedError } from './api-operation.js';
import { ConnectionRefusals, RouterErrors } from './client-errors.js';
import { OverloadErrors } from './load-shedding.js';
import { toAppError } from './problem-details.js';
import { RateLimitErrors } from './rate-limiting.js';
import { planOf } from './rate-limit-plan.js';
import { LIMITS } from '../rate-limits/limit-catalogue.js';

export const PROBLEM_REF = '#/components/schemas/Problem';
const PROBLEM_TYPE = 'application/problem+json';

const REASON: Record<number, string> = {
  400: 'The request is invalid', 401: 'No valid credentials', 403: 'Not allowed', 404: 'Not found', 408: 'The request arrived too slowly',
  409: 'Conflicts with the current state', 413: 'The body is too large', 415: 'The body is not JSON', 422: 'Understood but refused',
  429: 'Too many requests', 431: 'The headers are too large', 500: 'Failed on our side', 503: 'Unavailable for a moment; nothing was changed',
};

const withBody = (method: string) => method !== 'GET' && method !== 'HEAD';
const fastifyError = (code: string) => toAppError(Object.assign(new Error(code), { code }));

/** Answered the same way by every operation: one component each, referenced (api-document.ts) */
const SHARED: Record<string, DocumentedError[]> = {
  RequestTimeout: [ConnectionRefusals.timeout],
  HeadersTooLarge: [ConnectionRefusals.headersTooLarge],
  InternalError: [documentedError(toAppError(new Error('unexpected')))],
  Unavailable: [documentedError(OverloadErrors.overloaded(1)), documentedError(CommonErrors.databaseUnavailable())],
};

/**
 * What a route may answer because of the plugins in front of it, read from the route's own options: the
 * same decisions the hooks make (auth-hook.ts, rate-limiting.ts, load-shedding.ts, problem-details.ts,
 * client-errors.ts).
 */
export function sharedErrors(route: RouteOptions, hasPathParams: boolean, validatedField: string | undefined): DocumentedError[] {
  const method = String(route.method);
  const auth = route.config?.auth;
  const errors: AppError[] = [];
  // a body that is not JSON is a validation failure on any route that reads one
  if (validatedField || withBody(method)) errors.push(CommonErrors.validation([{ field: validatedField ?? 'body', message: 'invalid' }]));
  if (hasPathParams) errors.push(RouterErrors.badUrl(), RouterErrors.parameterTooLong());
  if (withBody(method)) errors.push(fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH'), fastifyError('FST_ERR_CTP_BODY_TOO_LARGE'), fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE'));
  if (auth && auth !== 'optional') errors.push(CommonErrors.unauthenticated());
  if (auth) errors.push(CommonErrors.invalidToken(), CommonErrors.apiKeyInvalid());
  if (auth === 'admin') errors.push(CommonErrors.forbidden('admin routes'));
  if (auth === 'customer') errors.push(CommonErrors.forbidden('this route as a guest; register or log in'));
  const plan = planOf(route.config?.rateLimit, auth);
  const limit = plan?.byRequest[0] ?? plan?.byAccount[0];
  if (limit) errors.push(RateLimitErrors.limited(limit, LIMITS[limit].what, 12));
  return [...errors.map(documentedError), ...Object.values(SHARED).flat()];
}

const retryAfterHeader = { type: 'integer', minimum: 0, description: 'seconds to wait before retrying' };
export const RATE_LIMIT_HEADERS = {
  ratelimit: { type: 'string', description: 'what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields)' },
  'ratelimit-policy': { type: 'string', description: 'the limits counted: `"name";q=<quota>;w=<window seconds>`' },
};

/** One response: the shared Problem schema narrowed to the codes it may carry, one example per code. */
function problemResponse(status: number, list: DocumentedError[], path: string | undefined) {
  const headers = {
    ...(list.some((e) => e.retryAfterSeconds !== undefined) ? { 'retry-after': retryAfterHeader } : {}),
    ...(list.some((e) => e.code === 'RATE_LIMITED') ? RATE_LIMIT_HEADERS : {}),
  };
  return {
    description: `${REASON[status] ?? 'Refused'}: ${list.map((e) => e.code).join(', ')}`,
    ...(Object.keys(headers).length ? { headers } : {}),
    content: {
      [PROBLEM_TYPE]: {
        schema: { allOf: [{ $ref: PROBLEM_REF }, { type: 'object', properties: { code: { type: 'string', enum: list.map((e) => e.code) } } }] },
        examples: Object.fromEntries(list.map((e) => [e.code, {
          summary: e.code,
          value: {
            type: `https://floodgate.dev/problems/${e.code.toLowerCase().replace(/_/g, '-')}`,
            title: e.code,
            status,
            code: e.code,
            detail: e.detail,
            ...(path ? { instance: path, requestId: '01936b2e-7c1a-7d2e-9f00-3a5c2b8e4d10' } : {}),
            ...(e.fields ? { errors: e.fields } : {}),
          },
        }])),
      },
    },
  };
}

/** the responses every operation shares, for components.responses */
export function sharedResponses(): Record<string, { description: string }> {
  return Object.fromEntries(Object.entries(SHARED).map(([name, list]) => {
    const { headers, ...response } = problemResponse(list[0]!.status, list, undefined);
    // a route's headers are converted by @fastify/swagger; a component's must already be OpenAPI header objects
    const openapiHeaders = headers && Object.fromEntries(Object.entries(headers).map(([header, { description, ...schema }]) => [header, { description, schema }]));
    return [name, { ...response, ...(openapiHeaders ? { headers: openapiHeaders } : {}) }];
  }));
}

export const SHARED_MARK = 'shared-response:';
const sameCodes = (a: DocumentedError[], b: DocumentedError[]) => a.length === b.length && a.every((e, i) => e.code === b[i]?.code);

/**
 * One response per status. A status whose codes are exactly a shared response's is left as a mark that
 * api-document.ts turns into a $ref once the document is built (@fastify/swagger cannot emit one itself).
 */
export function errorResponses(errors: readonly DocumentedError[], path: string): Record<string, unknown> {
  const byStatus = new Map<number, Map<string, DocumentedError>>();
  for (const error of errors) {
    const codes = byStatus.get(error.status) ?? new Map<string, DocumentedError>();
    if (!codes.has(error.code)) codes.set(error.code, error);
    byStatus.set(error.status, codes);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...codes.values()];
    const shared = Object.entries(SHARED).find(([, known]) => sameCodes(known, list))?.[0];
    responses[String(status)] = shared ? { type: 'null', description: `${SHARED_MARK}${shared}` } : problemResponse(status, list, path);
  }
  return responses;
}
