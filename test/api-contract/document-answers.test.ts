import { describe, expect, it } from 'vitest';
import { documentAnswers, type OpenApiDocument } from './document-answers.js';

const problem = { type: 'https://floodgate.dev/problems/x', title: 'X', status: 404, detail: 'gone' };
const doc = {
  paths: {
    '/v1/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } }, additionalProperties: false } } } },
          404: { description: 'Not found', content: { 'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { code: { enum: ['THING_NOT_FOUND'] } } }] } } } },
          503: { $ref: '#/components/responses/Unavailable' },
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
});
