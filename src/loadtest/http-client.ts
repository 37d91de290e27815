import { Pool } from 'undici';
import type { StatusKey } from './run-recorder.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  /** serialised as JSON */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** the parsed JSON body, or undefined when the body is empty or not JSON */
  body: unknown;
}

export interface HttpClient {
  readonly origin: string;
  send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** keep-alive connections in the pool; requests beyond them queue in the client */
  connections: number;
  timeoutMs: number;
}

/** One keep-alive undici Pool per target origin. */
export function createHttpClient(target: URL, options: HttpClientOptions): HttpClient {
  const pool = new Pool(target.origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: Math.min(options.timeoutMs, 10_000),
  });
  // a target mounted under a path prefix (http://127.0.0.1:8080/shop) keeps its prefix
  const prefix = target.pathname.replace(/\/$/, '');
  return {
    origin: target.origin,
    async send(request, signal) {
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
      const res = await pool.request({ method: request.method, path: prefix + request.path, headers, body, signal });
      const text = await res.body.text();
      const type = String(res.headers['content-type'] ?? '');
      let parsed: unknown;
      if (text.length > 0 && type.includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
      }
      return { status: res.statusCode, headers: res.headers, body: parsed };
    },
    close: () => pool.close(),
  };
}

/** a transport failure as the status key the tables show */
export function transportErrorKey(error: unknown): StatusKey {
  const e = error as { code?: string; name?: string };
  if (e?.name === 'AbortError' || e?.code === 'UND_ERR_ABORTED') return 'ERR_ABORTED';
  if (e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT' || e?.code === 'UND_ERR_CONNECT_TIMEOUT') return 'ERR_TIMEOUT';
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  if (e?.code === 'UND_ERR_SOCKET') return 'ERR_SOCKET';
  return 'ERR_NETWORK';
}
