import { describe, expect, it } from 'vitest';
import { documentAnswers, type OpenApiDocument } from './document-answers.js';

const problem = { type: 'https://floodgate.dev/problems/x', title: 'X', status: 404, detail: 'gone' };
const doc = {
  paths: {
    '/v1/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          200: { description: 'OK', headers: { etag: { schema: { type: 'string', pattern: '^"' } }, 'ratelimit-remaining': { schema: { type: 'integer', minimum: 0 } } }, content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } }, additionalProperties: false } } } },
          404: { description: 'Not found', content: { 'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { code: { enum: ['THING_NOT_FOUND'] } } }] } } } },
          503: { $ref: '#/components/responses/Unavailable' },
          429: { description: 'Limited', headers: { 'retry-after': { required: true, schema: { type: 'integer', minimum: 1 } } }, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
  },
  components: {
    schemas: { Problem: { type: 'object', required: ['type', 'title', 'status', 'code', 'detail'], properties: { code: { type: 'string' }, status: { type: 'integer' } } } },
    responses: { Unavailable: { description: 'Unavailable', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
} as unknown as OpenApiDocument;

describe('checking answers against the document', () => {
  const { problemsOf } = documentAnswers(doc);
  const check = (status: number, contentType: string, body: unknown) => problemsOf('GET', '/v1/things/{id}', { status, contentType, body });

  it('when an answer is what the document declares, then there is no problem', () => {
    expect(check(200, 'application/json; charset=utf-8', { id: 'a' })).toEqual([]);
    expect(check(404, 'application/problem+json', { ...problem, code: 'THING_NOT_FOUND' })).toEqual([]);
    expect(check(503, 'application/problem+json', { ...problem, status: 503, code: 'OVERLOADED' })).toEqual([]);
  });

  it('when the status is not declared, then the operation and the status are named', () => {
    expect(check(409, 'application/problem+json', { ...problem, code: 'THING_BUSY' })).toEqual([expect.stringContaining('getThing (GET /v1/things/{id}) answered 409, which it does not declare')]);
  });

  it('when a refusal carries a code the status does not list, or the body breaks the schema, or the type is another, then it is a problem', () => {
    expect(check(404, 'application/problem+json', { ...problem, code: 'OTHER_CODE' })).toEqual([expect.stringContaining('THING_NOT_FOUND')]);
    expect(check(200, 'application/json', { id: 1 })).toEqual([expect.stringContaining('body does not match')]);
    expect(check(200, 'application/json', { id: 'a', extra: true })).toEqual([expect.stringContaining('body does not match')]);
    expect(check(404, 'application/json', { ...problem, code: 'THING_NOT_FOUND' })).toEqual([expect.stringContaining('answered application/json')]);
    expect(check(503, 'application/problem+json', { status: 503 })).toEqual([expect.stringContaining('body does not match')]);
  });

  it('when a declared header is sent with a value its schema refuses, or a required one is missing, then it is a problem naming the header', () => {
    const answer = (status: number, headers: Record<string, string>, body: unknown = { id: 'a' }) => problemsOf('GET', '/v1/things/{id}', { status, contentType: 'application/json', body, headers });
    expect(answer(200, { etag: '"abc"', 'ratelimit-remaining': '7', 'x-request-id': 'anything' })).toEqual([]);
    expect(answer(200, {})).toEqual([]); // none of them is required
    expect(answer(200, { etag: 'abc' })).toEqual([expect.stringContaining('header etag')]);
    expect(answer(200, { 'ratelimit-remaining': 'many' })).toEqual([expect.stringContaining('header ratelimit-remaining')]);
    const limited = (headers: Record<string, string>) => problemsOf('GET', '/v1/things/{id}', { status: 429, contentType: 'application/problem+json', body: { ...problem, status: 429, code: 'RATE_LIMITED' }, headers });
    expect(limited({ 'retry-after': '3' })).toEqual([]);
    expect(limited({})).toEqual([expect.stringContaining('the required header retry-after is missing')]);
    expect(limited({ 'retry-after': '0' })).toEqual([expect.stringContaining('header retry-after')]);
  });
});
