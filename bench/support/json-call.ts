/** What a bench script's JSON call answers: the status and the parsed body ({} when it had none). */
export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A JSON client for one shop: bench scripts set up their data through the public and admin API. */
export const jsonCaller =
  (baseUrl: string) =>
  async (method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<JsonAnswer> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
