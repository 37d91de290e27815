import { z } from 'zod';

/**
 * The arguments one contract method accepts, as they arrive decoded (`decodeInternal`): what the internal
 * route checks before calling, so a malformed call is the caller's 400 naming the argument, never our 500.
 * Typed against the method's parameters, so a schema and its interface cannot drift apart.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ArgsSchema<Fn> = Fn extends (...args: infer P) => any ? z.ZodType<P, unknown> : never;

/**
 * How a service's contract client is reached over HTTP: one `POST /internal/<service>/<method>` per
 * method of the client interface, which of them may be retried and what arguments each accepts. Each
 * service declares its own in its contract/ folder; the routes (internal-routes.ts) and the client
 * (internal-client.ts) are generic.
 */
export interface InternalApi<Client> {
  /** the service name: the path segment, and the `aud` of the credentials it accepts */
  service: string;
  methods: { [K in keyof Client]-?: { idempotent: boolean; args: ArgsSchema<Client[K]> } };
}

export const internalPath = (service: string, method: string) => `/internal/${service}/${method}`;

/**
 * JSON with the two types the contracts carry that JSON does not: Date and Map. Tagged as
 * `{"$date": iso}` / `{"$map": [[k, v]…]}` so that no string is ever guessed to be a date.
 */
export function encodeInternal(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encodeInternal(k), encodeInternal(v)]) };
  if (Array.isArray(value)) return value.map(encodeInternal);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodeInternal(v)]));
  }
  return value;
}

export function decodeInternal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeInternal);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$date === 'string') return new Date(record.$date);
    if (keys.length === 1 && Array.isArray(record.$map)) return new Map((record.$map as Array<[unknown, unknown]>).map(([k, v]) => [decodeInternal(k), decodeInternal(v)]));
    return Object.fromEntries(keys.map((k) => [k, decodeInternal(record[k])]));
  }
  return value;
}

/** an id as a contract method takes it: implementations read a malformed one as unknown, so only its size is bounded here */
export const contractId = () => z.string().min(1).max(200);
