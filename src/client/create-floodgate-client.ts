import createClient from 'openapi-fetch';
import type { components, paths } from './api-types.js';
import { resilientFetch } from './resilient-fetch.js';

/** RFC 9457 problem details, as every refusal of the API is; switch on `code`. */
export type Problem = components['schemas']['Problem'];

/**
 * The operations that take an Idempotency-Key (the document declares the header on exactly these;
 * floodgate-client.test.ts checks it): the client adds one when the caller did not, and keeps it for the
 * retries of that call, so a retried checkout can never place two orders.
 */
export const IDEMPOTENT_OPERATIONS: ReadonlySet<string> = new Set(['POST /v1/checkout', 'POST /v1/flash-sales/{id}/reservations']);

// the generated types require the header; with the client it is optional, since the client adds it
type LooseKey<H> = Omit<H, 'idempotency-key'> & { 'idempotency-key'?: string };
type LooseOperation<O> = O extends { parameters: { header: infer H } }
  ? H extends { 'idempotency-key': string }
    ? Omit<O, 'parameters'> & { parameters: Omit<O['parameters'], 'header'> & (object extends LooseKey<H> ? { header?: LooseKey<H> } : { header: LooseKey<H> }) }
    : O
  : O;
export type ClientPaths = { [P in keyof paths]: { [M in keyof paths[P]]: LooseOperation<paths[P][M]> } };

export interface Session {
  accessToken: string;
  /** when given, an expired access token is exchanged for a new one (and the refresh token rotated) */
  refreshToken?: string;
}

export interface FloodgateClientOptions {
  /** the deployment's address, e.g. https://shop.example.com (no /v1) */
  baseUrl: string;
  /** a customer's, guest's or admin's session: sent as a bearer token, refreshed when it expires */
  session?: Session;
  /** an admin API key, sent as X-Api-Key */
  apiKey?: string;
  /** retries of a call answered 429 or 503; 2 when absent */
  retries?: number;
  /** the longest Retry-After the client waits; 10 s when absent */
  maxRetryAfterMs?: number;
  /** told of the new tokens after a refresh, to keep them */
  onSession?: (session: Session) => void;
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A typed client of the Floodgate API: openapi-fetch over the types generated from /v1/openapi.json, so
 * every path, parameter, body, answer and problem is checked by the compiler. `GET`, `POST`… answer
 * `{ data, error, response }`: `error` is the operation's Problem when the API refused.
 */
export function createFloodgateClient(options: FloodgateClientOptions) {
  const session = options.session ? { ...options.session } : undefined;
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  const refresh = async (): Promise<string | undefined> => {
    if (!session?.refreshToken) return undefined;
    const response = await baseFetch(new Request(`${options.baseUrl}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    }));
    if (!response.ok) return undefined;
    const tokens = (await response.json()) as { accessToken: string; refreshToken: string };
    session.accessToken = tokens.accessToken;
    session.refreshToken = tokens.refreshToken;
    options.onSession?.({ ...session });
    return session.accessToken;
  };

  const client = createClient<ClientPaths>({
    baseUrl: options.baseUrl,
    fetch: resilientFetch({ fetch: baseFetch, retries: options.retries ?? 2, maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000, refresh }),
  });
  client.use({
    onRequest({ request, schemaPath }) {
      if (session && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${session.accessToken}`);
      if (options.apiKey && !request.headers.has('x-api-key')) request.headers.set('x-api-key', options.apiKey);
      // set before the retrying fetch sees the request: every retry of this call sends the same key
      if (IDEMPOTENT_OPERATIONS.has(`${request.method} ${schemaPath}`) && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', globalThis.crypto.randomUUID());
      }
      return request;
    },
  });
  return Object.assign(client, {
    /** the session as it is now (tokens change when the client refreshes them) */
    session: (): Session | undefined => (session ? { ...session } : undefined),
  });
}

export type FloodgateClient = ReturnType<typeof createFloodgateClient>;
