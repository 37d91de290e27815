import { readFileSync } from 'node:fs';
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { DocumentedError } from './api-operation.js';
import { errorResponses, RATE_LIMIT_HEADERS, SHARED_MARK, sharedErrors, sharedResponses } from './api-error-responses.js';
import { planOf } from './rate-limit-plan.js';

/** src/platform/http and dist/platform/http both sit three levels below the package root */
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const SECURITY = {
  public: [],
  bearer: [{ bearer: [] }],
  admin: [{ bearer: [] }, { apiKey: [] }],
  optional: [{}, { bearer: [] }],
} as const;

const securityOf = (auth: string | undefined) =>
  auth === 'admin' ? SECURITY.admin : auth === 'optional' ? SECURITY.optional : auth ? SECURITY.bearer : SECURITY.public;

/**
 * The route-to-operation step of the document: zod schemas become JSON Schema (fastify-type-provider-zod),
 * then the operation gets its security and every refusal it may answer, derived from the route's options
 * plus the refusals the route named itself (api-operation.ts).
 */
export const documentOperation: SwaggerTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input) as { schema: Record<string, unknown>; url: string };
  if (schema.hide) return { schema, url };
  const { route } = input;
  const own = (schema.errors as DocumentedError[] | undefined) ?? [];
  delete schema.errors;
  delete schema.deprecation;
  // a field the operation validates, named as a VALIDATION_FAILED example would name it
  const firstField = (part: string, prefix: string) => {
    const name = Object.keys((schema[part] as { properties?: object } | undefined)?.properties ?? {})[0];
    return name ? `${prefix}.${name}` : undefined;
  };
  const validatedField = firstField('body', 'body') ?? firstField('querystring', 'query') ?? firstField('params', 'params') ?? firstField('headers', 'headers');
  schema.security ??= securityOf(route.config?.auth);
  const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const requestHeaders = (schema.headers as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  schema.response = {
    ...successResponses(schema.response as Record<string, JsonSchema> | undefined, route, requestHeaders),
    ...errorResponses([...sharedErrors(route, url.includes(':'), validatedField), ...own], path),
  };
  return { schema, url };
};

type JsonSchema = Record<string, unknown>;
const SUCCESS: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted: the work goes on asynchronously', 204: 'Done; no body' };

/** The 2xx answers get a description and the headers the plugins and the route add to them. */
function successResponses(responses: Record<string, JsonSchema> | undefined, route: RouteOptions, requestHeaders: Record<string, unknown>) {
  const out: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(responses ?? {})) {
    const headers: Record<string, JsonSchema> = {};
    if (planOf(route.config?.rateLimit, route.config?.auth)) Object.assign(headers, RATE_LIMIT_HEADERS);
    if ('idempotency-key' in requestHeaders) headers['idempotent-replayed'] = { type: 'string', enum: ['true'], description: 'present when this is the saved answer to an earlier request with the same Idempotency-Key' };
    if ('if-none-match' in requestHeaders) headers.etag = { type: 'string', description: 'the version of this answer: send it back in If-None-Match to get 304 while it is current' };
    if (status === '201' || status === '202') headers.location = { type: 'string', description: 'where the created resource is read (when it has its own URL)' };
    out[status] = { ...schema, 'x-response-description': schema.description ?? SUCCESS[status] ?? 'OK', ...(Object.keys(headers).length ? { headers } : {}) };
  }
  if ('if-none-match' in requestHeaders) out['304'] = { type: 'null', description: 'Not modified: the ETag sent in If-None-Match is still current; no body', headers: { etag: { type: 'string' } } };
  return out;
}

type OpenApiObject = {
  paths?: Record<string, Record<string, { responses?: Record<string, { description?: string } | { $ref: string }> }>>;
  components?: { schemas?: Record<string, unknown> };
};

const refsIn = (node: unknown, found: Set<string>): Set<string> => {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.add(value);
      else refsIn(value, found);
    }
  }
  return found;
};

/**
 * Every registered schema is emitted twice (as an input `…Input` and an output) whether an operation uses
 * it or not; a component nobody references is noise to an integrator, so it is left out.
 */
function withoutUnusedSchemas(doc: OpenApiObject): OpenApiObject {
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  let frontier = refsIn({ paths: doc.paths, components: { ...doc.components, schemas: {} } }, new Set());
  while (frontier.size) {
    const next = new Set<string>();
    for (const ref of frontier) {
      const name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
      if (!name || used.has(name)) continue;
      used.add(name);
      refsIn(schemas[name], next);
    }
    frontier = next;
  }
  doc.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return doc;
}

/** the responses marked by errorResponses become references to components.responses: one copy each */
function referenceSharedResponses(doc: OpenApiObject) {
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const mark = 'description' in response ? response.description : undefined;
        if (mark?.startsWith(SHARED_MARK)) operation.responses![status] = { $ref: `#/components/responses/${mark.slice(SHARED_MARK.length)}` };
      }
    }
  }
  return doc;
}

export interface ApiDocumentOptions {
  title?: string;
  /** PUBLIC_URL: where clients reach this deployment; the document then names it as its server */
  publicUrl?: string;
}

/** @fastify/swagger's options: one document per deployment, its version the package's. */
export function apiDocumentOptions({ title, publicUrl }: ApiDocumentOptions): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: title ?? 'Floodgate API',
        version: PACKAGE_VERSION,
        description: [
          'Ecommerce backend built for traffic spikes.',
          '',
          'Every refusal is `application/problem+json` (RFC 9457) with a stable `code`; each operation lists the codes it may answer.',
          'Any request may also be refused before it reaches an operation: 400 `MALFORMED_REQUEST` (not valid HTTP), 408 `REQUEST_TIMEOUT`',
          '(the request took too long to arrive), 431 `HEADERS_TOO_LARGE` (over 16 KiB of headers), 404 `ROUTE_NOT_FOUND`.',
          'Changes inside /v1 are additive only; see docs/api-versioning.md for deprecation (Deprecation and Sunset headers) and /v2.',
        ].join('\n'),
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // relative: the document is served by the deployment it describes, whatever its address
      servers: [publicUrl ? { url: publicUrl, description: 'this deployment (PUBLIC_URL)' } : { url: '/', description: 'this deployment: the origin that served this document' }],
      tags: [
        { name: 'customers', description: 'Accounts, sessions, tokens and API keys' },
        { name: 'catalog', description: 'Products, variants, categories and prices' },
        { name: 'carts', description: 'Carts and their lines' },
        { name: 'orders', description: 'Checkout and orders' },
        { name: 'flash-sales', description: 'Flash sales, their waiting room and reservations' },
        { name: 'inventory', description: 'Stock levels' },
        { name: 'operations', description: 'Audit log and degradation switches' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'an access token from /v1/auth/login, /v1/auth/register, /v1/auth/refresh or /v1/auth/guest' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'an admin API key from POST /v1/admin/api-keys' },
        },
        responses: sharedResponses(),
        schemas: {
          // RFC 9457 problem details as problem-details.ts writes them; `code` is what clients switch on
          Problem: {
            type: 'object',
            description: 'RFC 9457 problem details. `code` is stable: switch on it, not on `title` or `detail`.',
            required: ['type', 'title', 'status', 'code', 'detail'],
            properties: {
              type: { type: 'string', format: 'uri', description: 'a URI naming the problem, derived from `code`' },
              title: { type: 'string', description: 'the code again (RFC 9457 title)' },
              status: { type: 'integer', minimum: 400, maximum: 599 },
              code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'the stable identifier of the problem' },
              detail: { type: 'string', description: 'what went wrong and what to do next, for people' },
              instance: { type: 'string', description: 'the path of the request that was refused' },
              requestId: { type: 'string', description: 'the X-Request-Id of the request: quote it to support' },
              errors: {
                type: 'array',
                description: 'the offending fields, for validation problems',
                items: {
                  type: 'object',
                  required: ['field', 'message'],
                  properties: { field: { type: 'string', description: 'dotted path, e.g. `body.shippingAddress.postalCode`' }, message: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    transform: documentOperation,
    // the zod schemas registered with an id (`.meta({ id: 'Cart' })`) become components; the rest stay inline
    transformObject: (doc) => referenceSharedResponses(withoutUnusedSchemas(jsonSchemaTransformObject(doc) as OpenApiObject)),
  };
}
