/** What went wrong, in terms a client can act on; mapped to an HTTP status in one place (problem-details.ts). */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  /** dotted path of the offending field, e.g. `body.shippingAddress.postalCode` */
  field: string;
  message: string;
}

/** the answers to what the client asked (4xx): expected outcomes, not faults of ours */
const CLIENT_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'unprocessable', 'rate_limited']);

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: { fields?: FieldError[]; retryAfterSeconds?: number };

  constructor(code: string, kind: ErrorKind, message: string, details: { fields?: FieldError[]; retryAfterSeconds?: number } = {}) {
    // A client's refusal (sold out, over the limit, invalid) carries no stack: it names no bug, and capturing one
    // was ~5 % of a refused flash-sale reservation's CPU (BENCHMARKS.md). 5xx keep theirs for whoever debugs them.
    const limit = Error.stackTraceLimit;
    if (CLIENT_KINDS.has(kind)) Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Codes every service may answer with; each service keeps its own catalogue in its errors.ts. */
export const CommonErrors = {
  validation: (fields: FieldError[]) =>
    new AppError('VALIDATION_FAILED', 'bad_request', `The request is invalid: ${fields.map((f) => f.field).join(', ')}`, { fields }),
  unauthenticated: () =>
    new AppError('AUTH_REQUIRED', 'unauthorized', 'Send a valid access token: Authorization: Bearer <accessToken>'),
  invalidToken: () =>
    new AppError('AUTH_TOKEN_INVALID', 'unauthorized', 'The access token is invalid or expired; refresh it or log in again'),
  /** an X-Api-Key that is unknown, expired or revoked; the code keeps the customers service's name, which clients already switch on */
  apiKeyInvalid: () =>
    new AppError('CUSTOMERS_API_KEY_INVALID', 'unauthorized', 'The API key is invalid, expired or revoked; create a new one in the admin API'),
  forbidden: (what = 'this resource') => new AppError('FORBIDDEN', 'forbidden', `You are not allowed to access ${what}`),
  routeNotFound: (method: string, url: string) =>
    new AppError('ROUTE_NOT_FOUND', 'not_found', `No route ${method} ${url}; see /v1/openapi.json`),
  idempotencyKeyRequired: () =>
    new AppError('IDEMPOTENCY_KEY_REQUIRED', 'bad_request', 'Send an Idempotency-Key header (a unique string, 8–255 characters) with this request', {
      fields: [{ field: 'headers.idempotency-key', message: 'required' }],
    }),
  idempotencyKeyReused: () =>
    new AppError('IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was used with a different request body; use a new key'),
  /** the database is unreachable, restarting, out of connections or past the query deadline; nothing was decided */
  databaseUnavailable: () =>
    new AppError('DATABASE_UNAVAILABLE', 'unavailable', 'The service cannot reach its database right now; retry after a few seconds', {
      retryAfterSeconds: 2,
    }),
  idempotencyKeyInFlight: () =>
    new AppError('IDEMPOTENCY_KEY_IN_PROGRESS', 'conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', {
      retryAfterSeconds: 1,
    }),
};
