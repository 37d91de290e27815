import type { components, paths } from '../client/api-types.js';
import { retryAfterMs } from '../client/resilient-fetch.js';
import type { HttpRequest, HttpResponse } from './http-client.js';
import type { ScenarioContext, VirtualUser, VuResponse } from './scenario.js';

/**
 * The load test's calls, typed by the SDK's generated types (src/client/api-types.ts, from /v1/openapi.json):
 * the path, its parameters, the headers an operation requires, the request body and the answer are those of
 * the API document, so a contract change breaks the type check of the scenarios as it does the SDK's.
 *
 * They travel over the runner's own transport (http-client.ts: one keep-alive undici Pool, its timeouts, the
 * run's abort signal, each virtual customer's X-Forwarded-For) and are measured and recorded per step exactly
 * as before. The SDK's fetch client is not the transport here: it retries 429/503 and adds headers by itself
 * (a load test must count those answers, not wait them out), and WHATWG Request/Response objects per call cost
 * the generator CPU that the shop under test shares on one machine.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Problem = components['schemas']['Problem'];

type OperationOf<P extends keyof paths, M extends Method> = Extract<paths[P][Lowercase<M> & keyof paths[P]], { responses: unknown }>;
/** the documented paths that have an operation for `M` */
export type PathsWith<M extends Method> = { [P in keyof paths]: [OperationOf<P, M>] extends [never] ? never : P }[keyof paths];

/** the path parameters, or the headers, an operation requires (never when it has none, or only optional ones) */
type PathOf<O> = O extends { parameters: { path: infer X } } ? X : never;
type HeaderOf<O> = O extends { parameters: { header: infer X } } ? X : never;
type JsonOf<X> = X extends { content: { 'application/json': infer B } } ? B : never;
type BodyOf<O> = O extends { requestBody: infer R } ? JsonOf<R> : O extends { requestBody?: infer R } ? JsonOf<NonNullable<R>> | undefined : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Responses<O> = O extends { responses: infer R } ? R : never;
type Success = 200 | 201 | 202 | 203 | 204 | 206;

/** the body of any 2xx answer the document gives the operation */
export type SuccessOf<O> = { [S in keyof Responses<O>]: S extends Success ? JsonOf<Responses<O>[S]> : never }[keyof Responses<O>];

/** what one call takes: path parameters, query and body as documented; headers the operation requires, typed */
export type CallInit<O> = { expect?: readonly number[] }
  & ([PathOf<O>] extends [never] ? { path?: never } : { path: PathOf<O> })
  & ([QueryOf<O>] extends [never] ? { query?: never } : { query?: QueryOf<O> })
  & ([HeaderOf<O>] extends [never] ? { headers?: Record<string, string> } : { headers: HeaderOf<O> & Record<string, string | undefined> })
  & ([BodyOf<O>] extends [never] ? { body?: never } : undefined extends BodyOf<O> ? { body?: BodyOf<O> } : { body: BodyOf<O> });

export interface TypedAnswer<D> {
  /** the documented 2xx body, when the answer was a 2xx with a JSON body */
  data: D | undefined;
  /** the problem+json of a refusal (4xx/5xx), when there was one */
  problem: Problem | undefined;
}

export type CallInitOf<M extends Method, P extends PathsWith<M>> = CallInit<OperationOf<P, M>>;
export type AnswerOf<M extends Method, P extends PathsWith<M>> = TypedAnswer<SuccessOf<OperationOf<P, M>>>;

interface LooseInit {
  expect?: readonly number[];
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/** the runner's request for a typed call: `{name}` filled in (encoded), the query appended, unset headers left out */
export function toHttpRequest(method: Method, path: string, init: LooseInit = {}): HttpRequest {
  let url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = init.path?.[name];
    if (value === undefined) throw new Error(`${method} ${path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const query = Object.entries(init.query ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
  if (query.length > 0) url += `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
  return { method, path: url, headers, ...(init.body !== undefined ? { body: init.body } : {}) };
}

/** the body as the document says it is: data for a 2xx, the problem for a refusal */
export function typedAnswer<D>(status: number, body: unknown): TypedAnswer<D> {
  const json = body !== null && typeof body === 'object' ? body : undefined;
  return {
    data: status >= 200 && status < 300 ? (json as D | undefined) : undefined,
    problem: status >= 400 && json && typeof (json as { code?: unknown }).code === 'string' ? (json as Problem) : undefined,
  };
}

/** a documented operation as step `step` of a virtual customer: measured and recorded like all its requests */
export async function callAs<M extends Method, P extends PathsWith<M>>(
  vu: VirtualUser,
  step: string,
  method: M,
  path: P,
  init: CallInitOf<M, P>,
): Promise<VuResponse & AnswerOf<M, P>> {
  // the types above checked the call against the document; from here on it is a plain request
  const loose = init as unknown as LooseInit;
  const res = await vu.request(step, { ...toHttpRequest(method, path, loose), ...(loose.expect ? { expect: loose.expect } : {}) });
  return { ...res, ...typedAnswer<SuccessOf<OperationOf<P, M>>>(res.status, res.body) };
}

/** how long setup and checks wait out a shop that asks them to retry (shed or rate limited) */
const SETUP_RETRY_FOR_MS = 60_000;

/**
 * A documented operation in setup or checks (not measured); rejects on transport failure like ctx.request.
 * Setup and checks run right before and after a load: a shop still draining its queues may shed them (503) or
 * limit them (429) with Retry-After. They are not measured, so they do what a careful client does: wait the
 * Retry-After and ask again, for up to a minute, instead of failing the run on the shedding it came to measure.
 */
export async function callIn<M extends Method, P extends PathsWith<M>>(
  ctx: ScenarioContext,
  method: M,
  path: P,
  init: CallInitOf<M, P>,
): Promise<HttpResponse & AnswerOf<M, P>> {
  const request = toHttpRequest(method, path, init as unknown as LooseInit);
  const deadline = Date.now() + SETUP_RETRY_FOR_MS;
  for (;;) {
    const res = await ctx.request(request);
    const retryAfter = res.headers['retry-after'];
    const retry = (res.status === 503 || res.status === 429) && typeof retryAfter === 'string' && Date.now() < deadline;
    if (!retry) return { ...res, ...typedAnswer<SuccessOf<OperationOf<P, M>>>(res.status, res.body) };
    // read as the SDK reads it (seconds or an HTTP date)
    await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(100, retryAfterMs(retryAfter)))));
  }
}
