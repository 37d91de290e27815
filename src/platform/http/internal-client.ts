import { Pool } from 'undici';
import { createOutboundPolicy, DependencyUnavailableError, type OutboundPolicyOptions, type RetryBudget } from '../resilience/outbound-policy.js';
import { isTransientFailure } from '../resilience/transient-failure.js';
import { outboundTraceHeaders } from '../telemetry/call-context.js';
import { AppError, type ErrorKind } from './app-error.js';
import { decodeInternal, encodeInternal, internalPath, type InternalApi } from './internal-api.js';

/**
 * An error the remote service answered (its problem+json, rebuilt), or the remote being unreachable.
 * The same code and kind as the in-process client would have thrown, so callers and routes cannot tell
 * the difference; `transient` lets the outbox, the payments worker and the bus treat an outage as one.
 */
export class RemoteAppError extends AppError {
  readonly transient: boolean;
  constructor(code: string, kind: ErrorKind, message: string, details: { retryAfterSeconds?: number }, readonly service: string) {
    super(code, kind, message, details);
    this.transient = kind === 'unavailable';
  }
}

const KIND_OF_STATUS: Record<number, ErrorKind> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large',
  415: 'unsupported_media_type', 422: 'unprocessable', 429: 'rate_limited', 503: 'unavailable',
};

export interface InternalClientOptions<Client> {
  api: InternalApi<Client>;
  /** the target service's base URL (CATALOG_URL …) */
  baseUrl: string;
  /** the calling service's credential for an audience (service-token.ts) */
  token: (audience: string) => Promise<string>;
  /** keep-alive connections to the target (SERVICE_CALL_CONNECTIONS) */
  connections?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  circuit?: OutboundPolicyOptions['circuit'];
  backoff?: OutboundPolicyOptions['backoff'];
  retryBudget?: RetryBudget;
  onStateChange?: OutboundPolicyOptions['onStateChange'];
}

const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** the remote said it cannot answer now (503), or it could not be reached: both are the remote's outage */
const isOutage = (err: unknown) =>
  err instanceof RemoteAppError ? err.transient : err instanceof DependencyUnavailableError || (!(err instanceof AppError) && isTransientFailure(err));

/**
 * A contract client over HTTP: `POST /internal/<service>/<method>` on an undici keep-alive pool, under
 * one outbound policy (timeout cut to the request's deadline, full-jitter retries for idempotent
 * methods, circuit breaker). The request id and traceparent go along; the answer's problem+json comes
 * back as the same AppError; an outage comes back as 503 `<SERVICE>_UNAVAILABLE` with Retry-After.
 */
export function createInternalClient<Client>(options: InternalClientOptions<Client>): Client & { close(): Promise<void> } {
  const { api, token } = options;
  const url = new URL(options.baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 2_000;
  const pool = new Pool(url.origin, { connections: options.connections ?? 32, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, maxResponseSize: MAX_ANSWER_BYTES });
  const policy = createOutboundPolicy({
    dependency: api.service,
    timeoutMs,
    maxAttempts: options.maxAttempts ?? 3,
    isTransient: isOutage,
    ...(options.circuit ? { circuit: options.circuit } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.retryBudget ? { retryBudget: options.retryBudget } : {}),
    ...(options.onStateChange ? { onStateChange: options.onStateChange } : {}),
  });
  const code = `${api.service.toUpperCase().replace(/-/g, '_')}_UNAVAILABLE`;
  const outage = (retryAfterSeconds: number) =>
    new RemoteAppError(code, 'unavailable', `The ${api.service} service is unavailable right now; retry after a few seconds`, { retryAfterSeconds }, api.service);

  const send = async (method: string, args: unknown[], signal: AbortSignal): Promise<unknown> => {
    const res = await pool.request({
      path: `${prefix}${internalPath(api.service, method)}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(api.service)}`, ...outboundTraceHeaders() },
      body: JSON.stringify({ args: encodeInternal(args) }),
      signal,
    });
    const text = await res.body.text();
    let body: { result?: unknown; code?: unknown; detail?: unknown } | undefined;
    try {
      body = text ? (JSON.parse(text) as typeof body) : undefined;
    } catch {
      body = undefined;
    }
    if (res.statusCode === 200 && body && typeof body === 'object') return 'result' in body ? decodeInternal(body.result) : undefined;
    const kind: ErrorKind = KIND_OF_STATUS[res.statusCode] ?? (res.statusCode >= 500 ? 'unavailable' : 'internal');
    if (typeof body?.code !== 'string') throw outage(2);
    // the remote refused OUR credential (keys differ between processes): a deployment fault, never the shopper's 401
    if (body.code.startsWith('SERVICE_CREDENTIAL_')) throw new RemoteAppError(body.code, 'internal', `${api.service} refused this service's credential: is FLOODGATE_SERVICE_KEY the same everywhere?`, {}, api.service);
    const retryAfter = Number(res.headers['retry-after']);
    throw new RemoteAppError(body.code, res.statusCode === 500 ? 'internal' : kind, String(body.detail ?? body.code), Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}, api.service);
  };

  const call = async (method: string, args: unknown[]) => {
    try {
      return await policy.execute((signal) => send(method, args, signal), api.methods[method as keyof Client]);
    } catch (err) {
      if (err instanceof RemoteAppError) throw err;
      if (err instanceof DependencyUnavailableError) throw Object.assign(outage(err.retryAfterSeconds), { cause: err });
      if (isTransientFailure(err)) throw Object.assign(outage(2), { cause: err });
      throw err;
    }
  };

  const client = Object.fromEntries(Object.keys(api.methods).map((method) => [method, (...args: unknown[]) => call(method, args)]));
  return { ...(client as Client), close: () => pool.close() };
}
