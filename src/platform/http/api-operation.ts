import type { AppError, FieldError } from './app-error.js';
import { statusOf } from './problem-details.js';

/** One refusal an operation may answer, as the document shows it (status, code, an example detail). */
export interface DocumentedError {
  code: string;
  status: number;
  detail: string;
  fields?: FieldError[];
  retryAfterSeconds?: number;
}

/** An operation on its way out (docs/api-versioning.md): what its Deprecation and Sunset headers say. */
export interface Deprecation {
  /** when it was deprecated: the `Deprecation` header (RFC 9745) */
  since: Date;
  /** when it may stop answering: the `Sunset` header (RFC 8594); none means no date is set yet */
  sunset?: Date;
  /** where the replacement is described: a `Link: <…>; rel="deprecation"` header */
  link?: string;
}

declare module 'fastify' {
  interface FastifySchema {
    /** the operation's own refusals (api-operation.ts); the refusals every route shares are added from its options */
    errors?: readonly DocumentedError[];
    /** set by `operation()`: the operation sends Deprecation/Sunset headers and is `deprecated` in the document */
    deprecation?: Deprecation;
  }
}

export interface OperationDoc {
  /** camelCase verb + noun; what generated clients name the method, so it never changes inside /v1 */
  operationId: string;
  summary: string;
  /** the behaviour a client relies on: idempotency, async answers, limits, caching */
  description: string;
  /** the refusals of the operation's own service, built by that service's error catalogue */
  errors?: readonly AppError[];
  deprecation?: Deprecation;
}

export const documentedError = (error: AppError): DocumentedError => ({
  code: error.code,
  status: statusOf(error.kind),
  detail: error.message,
  ...(error.details.fields ? { fields: error.details.fields } : {}),
  ...(error.details.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.details.retryAfterSeconds } : {}),
});

/**
 * The documentation part of a route's schema, so a route states only what is its own: its id, words and
 * the refusals of its service. Security, and the refusals every route shares (validation, credentials,
 * rate limits, overload, database outage), are derived from the route's options when the document is
 * built (api-document.ts), so they cannot disagree with what the hooks do.
 */
export function operation(tag: string, doc: OperationDoc) {
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    description: doc.description,
    tags: [tag],
    ...(doc.errors?.length ? { errors: doc.errors.map(documentedError) } : {}),
    ...(doc.deprecation ? { deprecated: true, deprecation: doc.deprecation } : {}),
  };
}
