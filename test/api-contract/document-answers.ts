import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface MediaType { schema?: unknown }
interface Response { description?: string; content?: Record<string, MediaType>; $ref?: string }
interface Operation { operationId: string; responses: Record<string, Response>; security?: unknown[]; requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { responses?: Record<string, Response> };
}

export interface Answer { status: number; contentType: string; body: unknown }

const DOC_ID = 'https://floodgate.test/openapi.json';
const pointer = (...segments: string[]) => segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/**
 * Checks answers against the API document the way a generated client would rely on it: the status is
 * one the operation declares, the content type is one that status declares, and the body validates
 * against that media type's schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1; the document's own
 * $refs resolve inside it).
 */
export function documentAnswers(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: DOC_ID });

  const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()];

  /** what is wrong with `answer` for the operation, or [] */
  function problemsOf(method: string, path: string, answer: Answer): string[] {
    const op = operation(method, path);
    if (!op) return [`${method} ${path} is not in the document`];
    const name = `${op.operationId} (${method} ${path})`;
    const declared = op.responses[String(answer.status)];
    if (!declared) return [`${name} answered ${answer.status}, which it does not declare (declared: ${Object.keys(op.responses).join(', ')})`];
    let response = declared;
    let at = pointer('paths', path, method.toLowerCase(), 'responses', String(answer.status));
    if (declared.$ref) {
      const component = declared.$ref.replace('#/components/responses/', '');
      response = doc.components?.responses?.[component] ?? {};
      at = pointer('components', 'responses', component);
    }
    if (!response.content) {
      return answer.body === undefined || answer.body === '' ? [] : [`${name} ${answer.status}: declares no body, answered ${JSON.stringify(answer.body).slice(0, 200)}`];
    }
    const type = answer.contentType.split(';')[0]!.trim();
    if (!response.content[type]) return [`${name} ${answer.status}: answered ${type || 'no content type'}, declares ${Object.keys(response.content).join(', ')}`];
    const validate = ajv.getSchema(`${DOC_ID}#/${at}/content/${pointer(type)}/schema`);
    if (!validate) return [`${name} ${answer.status}: no schema for ${type}`];
    if (validate(answer.body)) return [];
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
    return [`${name} ${answer.status}: body does not match the document: ${errors.join('; ')}; body ${JSON.stringify(answer.body).slice(0, 300)}`];
  }

  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  return { problemsOf, operations };
}
