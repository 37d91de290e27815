import fc from 'fast-check';
import { hostileString, MALFORMED_BODIES } from './hostile-values.js';
import { brokenValue, validValue, type JsonSchema, type KnownValues } from './schema-arbitrary.js';

interface Parameter { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema }

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** who the route is for: admin routes live under /v1/admin, bearer routes need any signed-in caller */
  audience: 'public' | 'signed-in' | 'admin';
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[]; security?: unknown[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export function operationsOf(spec: OpenApi): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      ...(op.requestBody ? { body: op.requestBody.content['application/json']!.schema } : {}),
      audience: path.startsWith('/v1/admin') ? 'admin' as const : op.security?.length ? 'signed-in' as const : 'public' as const,
    })));
}

export interface Callers {
  admin: string;
  customer: string;
  otherCustomer: string;
  guest: string;
}

/** Only bytes a header may carry reach the wire (fetch refuses the rest); a raw socket test covers those. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, '?').trim();

/** encodeURIComponent, except that unpaired surrogates go out as their (invalid) UTF-8 bytes instead of throwing. */
function encodeComponent(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value].map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) {
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
      }
      return encodeURIComponent(ch);
    }).join('');
  }
}

/** Path segments that are already percent-encoded: NUL, a lone %, an overlong dot, an encoded surrogate, a slash, too long. */
const RAW_SEGMENTS = ['%00', '%', '%zz', '..', '%2e%2e', '%2F', '%C0%AE', '%ED%A0%80', '%FF%FE', 'a'.repeat(3_000), '%20', '*'];

const CONTENT_TYPES = [
  'text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/xml', 'application/json, text/plain', '*/*', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/jsonx',
];

function authorization(audience: Operation['audience'], callers: Callers): fc.Arbitrary<Record<string, string>> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const wrong = fc.oneof(
    fc.constant({}),
    fc.constant(bearer('x.y.z')),
    fc.constant({ authorization: 'Basic YWRtaW46YWRtaW4=' }),
    fc.constant({ authorization: 'Bearer' }),
    hostileString().map((s) => bearer(headerSafe(s))),
    hostileString().map((s) => ({ 'x-api-key': headerSafe(s) || 'k' })),
    fc.constant(bearer(`${callers.customer.slice(0, -3)}AAA`)), // a signature that does not match
  );
  const proper = audience === 'admin' ? bearer(callers.admin) : bearer(callers.customer);
  const others = [bearer(callers.guest), bearer(callers.otherCustomer), bearer(audience === 'admin' ? callers.customer : callers.admin)];
  if (audience === 'public') return fc.oneof({ weight: 8, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constantFrom(proper, ...others) }, { weight: 1, arbitrary: wrong });
  return fc.oneof({ weight: 7, arbitrary: fc.constant(proper) }, { weight: 2, arbitrary: fc.constantFrom(...others) }, { weight: 2, arbitrary: wrong });
}

function pathValue(param: Parameter, known: KnownValues): fc.Arbitrary<string> {
  const real = known(param.name) ?? [];
  return fc.oneof(
    { weight: 5, arbitrary: real.length ? fc.constantFrom(...real) : fc.uuid({ version: 7 }) },
    { weight: 1, arbitrary: fc.uuid({ version: 7 }) },
    { weight: 2, arbitrary: hostileString().map((s) => encodeComponent(s) || '%20') },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  );
}

function queryString(params: Parameter[], known: KnownValues): fc.Arbitrary<string> {
  const pairs = params.map((param) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant<string[]>([]) },
      { weight: 3, arbitrary: validValue(param.schema, param.name, known).map((v) => [`${param.name}=${encodeComponent(String(v))}`]) },
      { weight: 3, arbitrary: hostileString().map((s) => [`${param.name}=${encodeComponent(s)}`]) },
      // a repeated parameter arrives as an array: type confusion for a schema that expects one string
      { weight: 1, arbitrary: fc.constant([`${param.name}=1`, `${param.name}=2`]) },
    ));
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.constantFrom(['role=admin'], ['__proto__[role]=admin'], ['customerId=1'], ['%00=%00'], ['a[b][c][d]=1'], ['=']) },
  );
  return fc.tuple(fc.tuple(...pairs, extra), fc.boolean()).map(([groups]) => {
    const query = groups.flat().join('&');
    return query ? `?${query}` : '';
  });
}

function bodyOf(op: Operation, known: KnownValues): fc.Arbitrary<string | undefined> {
  if (!op.body) {
    // a body where none is expected, now and then
    return op.method === 'GET' ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('{}', '{"role":"admin"}', '[]', '{') });
  }
  const schema = op.body;
  return fc.oneof(
    { weight: 3, arbitrary: validValue(schema, 'body', known).map((v) => JSON.stringify(v)) },
    { weight: 6, arbitrary: brokenValue(schema, 'body', known).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_BODIES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** One request against `op`: every part of it valid, hostile or missing, in proportions that reach the handler often. */
export function requestArbitrary(op: Operation, known: KnownValues, callers: Callers, baseUrl: string): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const wantsIdempotency = op.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key');
  const idempotency = wantsIdempotency
    ? fc.oneof(
      { weight: 6, arbitrary: fc.uuid({ version: 4 }).map((k) => ({ 'idempotency-key': k })) },
      { weight: 3, arbitrary: hostileString().map((s) => ({ 'idempotency-key': headerSafe(s) })) },
      { weight: 1, arbitrary: fc.constantFrom({}, { 'idempotency-key': 'abc' }, { 'idempotency-key': 'k'.repeat(300) }, { 'idempotency-key': '4111111111111111' }) },
    )
    : fc.constant({});
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  return fc
    .record({
      // path parameters are looked up as "<path> <name>": an `id` means a different thing on each route
      path: fc.tuple(...pathParams.map((p) => pathValue(p, (name) => known(`${op.path} ${name}`)))).map((values) => values.reduce((path, v, i) => path.replace(`{${pathParams[i]!.name}}`, v), op.path)),
      query: queryString(queryParams, known),
      auth: authorization(op.audience, callers),
      idempotency,
      contentType,
      body: bodyOf(op, known),
      ifNoneMatch: fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileString().map((s) => ({ 'if-none-match': headerSafe(s) })) }),
    })
    .map(({ path, query, auth, idempotency: key, contentType: type, body, ifNoneMatch }) => ({
      method: op.method,
      url: `${baseUrl}${path}${query}`,
      headers: { ...auth, ...key, ...ifNoneMatch, ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body } : {}),
    }));
}
