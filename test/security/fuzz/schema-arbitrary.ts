import fc from 'fast-check';
import { FORBIDDEN_PROPERTIES, hostileValue } from './hostile-values.js';

/** The parts of JSON Schema (as /v1/openapi.json writes it) the fuzzer reads. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

/** Values a field may get that are real: ids the shop holds, picked by the field's name. */
export type KnownValues = (field: string) => string[] | undefined;

function patternString(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined; // a pattern fast-check cannot invert (lookarounds): fall back on length rules
  }
}

/** A value the schema accepts (as far as JSON Schema says: zod refinements may still refuse it). */
export function validValue(schema: JsonSchema, field: string, known: KnownValues): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((s) => validValue(s, field, known)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      return type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER) }) : fc.double({ min, max, noNaN: true });
    }
    case 'array': {
      const items = validValue(schema.items ?? {}, field, known);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)) });
    }
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record = Object.fromEntries(Object.entries(props).map(([key, s]) => [key, validValue(s, key, known)]));
      return fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default: {
      const real = known(field);
      const email = field === 'email' || schema.format === 'email' ? fc.emailAddress() : undefined;
      const uuid = schema.format === 'uuid' ? fc.uuid({ version: 7 }) : undefined;
      const patterned = schema.pattern && !uuid && !email ? patternString(schema.pattern) : undefined;
      const text = fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 40, 40) });
      const generated = email ?? uuid ?? patterned ?? text;
      return real?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: generated }) : generated;
    }
  }
}

/**
 * A value built from the schema and then broken in one place: a field of the wrong kind, a
 * required field missing, or a property nobody may set added (mass assignment).
 */
export function brokenValue(schema: JsonSchema, field: string, known: KnownValues): fc.Arbitrary<unknown> {
  const objectSchema = (schema.anyOf ?? [schema]).find((s) => s.type === 'object');
  if (!objectSchema?.properties || Object.keys(objectSchema.properties).length === 0) {
    return fc.oneof(hostileValue(), fc.constantFrom(...FORBIDDEN_PROPERTIES).chain((key) => hostileValue().map((v) => ({ [key]: v }))));
  }
  const props = objectSchema.properties;
  const keys = Object.keys(props);
  return fc.tuple(validValue(objectSchema, field, known), fc.constantFrom(...keys), fc.nat({ max: 3 }), hostileValue(), fc.constantFrom(...FORBIDDEN_PROPERTIES))
    .chain(([valid, key, how, hostile, extra]) => {
      const value = { ...(valid as Record<string, unknown>) };
      if (how === 0) delete value[key];
      else if (how === 1) value[extra] = hostile;
      else if (how === 2 && props[key]?.type === 'object') {
        return brokenValue(props[key]!, key, known).map((inner) => ({ ...value, [key]: inner }));
      } else value[key] = hostile;
      return fc.constant(value);
    });
}
