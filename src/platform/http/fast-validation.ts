import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';

type RouteSchemaDef<S> = Parameters<FastifySchemaCompiler<S>>[0];
type HttpPart = 'params' | 'body' | 'headers' | 'querystring';

/** true only for a value the route's zod schema for that part certainly accepts as it is */
export type Acceptor = (value: unknown) => boolean;

/**
 * A route's validator compiler with a fast path, for the few routes a spike hits hardest (a
 * waiting-room poll, a reservation): each `accept[part]` is a cheap, compiled-by-hand check that
 * answers true only for input the route's zod schema certainly accepts unchanged (no defaults, no
 * coercion, no trimming on that schema); such input skips the zod parse. Everything else — any doubt —
 * goes to the zod validator as before, so bad input gets the same 400 problem+json naming the field.
 * The route's `schema` stays the zod one (OpenAPI, types); only the per-request check changes.
 *
 * Set on the route: `validatorCompiler: withFastPath({ params: ... })`. A part's value is then left
 * as Fastify parsed it (zod's `z.object` would have dropped unknown keys, e.g. the other headers).
 */
export function withFastPath(accept: Partial<Record<HttpPart, Acceptor>>) {
  // generic over the route's schema type, so one compiler fits any route's `validatorCompiler` slot
  return <S = FastifySchema>(route: RouteSchemaDef<S>) => {
    const zod = validatorCompiler(route as unknown as RouteSchemaDef<ZodType>);
    const fast = accept[route.httpPart as HttpPart];
    if (!fast) return zod;
    return (data: unknown) => (fast(data) ? { value: data } : zod(data));
  };
}

/**
 * Plain visible ASCII (no space, no controls, no non-ASCII), between `min` and `max` characters: what a
 * `safeText({ cardCheck: false }).min(min).max(max)` certainly accepts (safeText refuses only controls
 * and unpaired surrogates).
 */
export const visibleAscii = (min: number, max: number) => {
  const pattern = new RegExp(`^[\\x21-\\x7e]{${min},${max}}$`);
  return (value: unknown): value is string => typeof value === 'string' && pattern.test(value);
};

/**
 * A route's response serializer that is plain JSON.stringify, for answers the handler builds field
 * by field from typed values (the type provider still checks their shape at compile time). The zod
 * serializer re-validates every answer, which is most of a small answer's serialisation cost.
 */
export const plainJsonSerializer = () => (data: unknown) => JSON.stringify(data);
