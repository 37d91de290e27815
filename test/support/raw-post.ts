import { request } from 'node:http';

export interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/**
 * A JSON POST the way a plain HTTP client sends it (no Accept-Encoding unless given: fetch would add one). `chunked`
 * sends the body without a length, which the HTTP fast lane leaves to the framework: the same request the long way.
 */
export const rawPost = (base: string, path: string, token: string, body: string, { chunked = false, headers = {} }: { chunked?: boolean; headers?: Record<string, string> } = {}) =>
  new Promise<RawAnswer>((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(body)) }), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });

export const jsonOf = (a: RawAnswer) => JSON.parse(a.body.toString('utf8'));

/** what two answers to the same request share: all but the headers that name the request, its moment or its count */
export const comparable = (a: RawAnswer) => {
  const { date: _d, 'x-request-id': _i, 'content-length': _l, 'transfer-encoding': _t, ratelimit: _r, ...rest } = a.headers;
  return rest;
};

/** the RateLimit header's remaining count */
export const remaining = (a: RawAnswer) => Number(/;r=(\d+);/.exec(String(a.headers.ratelimit))?.[1]);

/** a problem+json answer without its request id, which names the request */
export const problemOf = (a: RawAnswer) => {
  const { requestId: _id, ...rest } = jsonOf(a);
  return rest;
};

/** a counter's value from /metrics (0 when the series does not exist yet); `series` is the name with its labels up to the route */
export const metricValue = async (base: string, series: string) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};
