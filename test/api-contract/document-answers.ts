import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface MediaType { schema?: unknown }
interface Header { schema?: { type?: string | string[] }; required?: boolean; $ref?: string }
interface Response { description?: string; content?: Record<string, MediaType>; headers?: Record<string, Header>; $ref?: string }
interface Operation { operationId: string; responses: Record<string, Response>; security?: unknown[]; requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { responses?: Record<string, Response>; headers?: Record<string, Header> };
}

export interface Answer { status: number; contentType: string; body: unknown; /** lower-case names; absent: headers not checked */ headers?: Record<string, string> }

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
    const headerProblems = answer.headers ? headersProblems(name, answer, response, at) : [];
    if (!response.content) {
      return [...headerProblems, ...(answer.body === undefined || answer.body === '' ? [] : [`${name} ${answer.status}: declares no body, answered ${JSON.stringify(answer.body).slice(0, 200)}`])];
    }
    const type = answer.contentType.split(';')[0]!.trim();
    if (!response.content[type]) return [`${name} ${answer.status}: answered ${type || 'no content type'}, declares ${Object.keys(response.content).join(', ')}`];
    const validate = ajv.getSchema(`${DOC_ID}#/${at}/content/${pointer(type)}/schema`);
    if (!validate) return [...headerProblems, `${name} ${answer.status}: no schema for ${type}`];
    if (validate(answer.body)) return headerProblems;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
    return [`${name} ${answer.status}: body does not match the document: ${errors.join('; ')}; body ${JSON.stringify(answer.body).slice(0, 300)}`];
  }

  /**
   * The response headers the document declares for this status: a required one must be sent, and any that is
   * sent must match its schema (header values are text: an integer header must be all digits).
   */
  let headersChecked = 0;
  function headersProblems(name: string, answer: Answer, response: Response, at: string): string[] {
    const problems: string[] = [];
    for (const [declaredName, declared] of Object.entries(response.headers ?? {})) {
      const header = declared.$ref ? (doc.components?.headers?.[declared.$ref.replace('#/components/headers/', '')] ?? {}) : declared;
      const value = answer.headers?.[declaredName.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${name} ${answer.status}: the required header ${declaredName} is missing`);
        continue;
      }
      const types = [header.schema?.type ?? 'string'].flat();
      const typed = types.includes('integer') || types.includes('number') ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
      headersChecked++;
      const validate = declared.$ref ? undefined : ajv.getSchema(`${DOC_ID}#/${at}/headers/${pointer(declaredName)}/schema`);
      if (validate && !validate(typed)) problems.push(`${name} ${answer.status}: header ${declaredName}: ${JSON.stringify(value)} does not match the document (${(validate.errors ?? []).map((e) => e.message).join('; ')})`);
    }
    return problems;
  }

  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  /** how many sent header values were checked against a declaration so far */
  return { problemsOf, operations, headersChecked: () => headersChecked };
}
