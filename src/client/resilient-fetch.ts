/** What the client does between the caller and the network: retries the API asks for, and token refresh. */
export interface ResilientFetchOptions {
  fetch: (request: Request) => Promise<Response>;
  /** attempts after the first for 429 and 503 answers; each waits the answer's Retry-After (capped) */
  retries: number;
  /** the longest Retry-After honoured, so a client never hangs for minutes on one call */
  maxRetryAfterMs: number;
  /** called on 401 AUTH_TOKEN_INVALID: a fresh access token, or undefined when none can be had */
  refresh?: () => Promise<string | undefined>;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([429, 503]);

/** Retry-After in seconds or as an HTTP-date (RFC 9110 10.2.3); a second when absent or unreadable */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header === null) return 1_000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1_000 : Math.max(0, date - now);
}

async function problemCode(response: Response): Promise<string | undefined> {
  if (!response.headers.get('content-type')?.startsWith('application/problem+json')) return undefined;
  const body = (await response.clone().json().catch(() => undefined)) as { code?: unknown } | undefined;
  return typeof body?.code === 'string' ? body.code : undefined;
}

/**
 * A fetch that waits and retries when the API says to (429 with RateLimit headers, 503 when it sheds load:
 * both wrote nothing, so a retry is safe, and unsafe requests carry an Idempotency-Key anyway), and that
 * refreshes an expired access token once and repeats the request with the new one.
 */
export function resilientFetch({ fetch, retries, maxRetryAfterMs, refresh, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) }: ResilientFetchOptions) {
  return async (request: Request): Promise<Response> => {
    // a body can be read once: every attempt sends a copy
    const original = request.clone();
    let current = request;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(current);
      if (response.status === 401 && refresh && !refreshed && (await problemCode(response)) === 'AUTH_TOKEN_INVALID') {
        refreshed = true;
        const token = await refresh();
        if (!token) return response;
        current = new Request(original.clone(), { headers: withBearer(original.headers, token) });
        attempt--;
        continue;
      }
      if (!RETRYABLE.has(response.status) || attempt >= retries) return response;
      await sleep(Math.min(retryAfterMs(response.headers.get('retry-after')), maxRetryAfterMs));
      current = new Request(original.clone(), { headers: current.headers });
    }
  };
}

function withBearer(headers: Headers, token: string): Headers {
  const copy = new Headers(headers);
  copy.set('authorization', `Bearer ${token}`);
  return copy;
}
