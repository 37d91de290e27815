import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { callAs, callIn, toHttpRequest, typedAnswer } from './api-operations.js';
import { createHttpClient, type HttpRequest } from './http-client.js';
import type { ScenarioContext, VirtualUser, VuResponse } from './scenario.js';

/** a virtual customer that keeps what it was asked to send and answers what the test says */
function recordingUser(answer: Pick<VuResponse, 'status' | 'body'>) {
  const sent: Array<{ step: string; request: HttpRequest & { expect?: readonly number[] } }> = [];
  const vu: VirtualUser = {
    n: 1,
    runId: 'run',
    options: {},
    random: () => 0.5,
    request: async (step, request) => {
      sent.push({ step, request });
      const ok = request.expect ? request.expect.includes(answer.status) : answer.status >= 200 && answer.status < 300;
      return { ...answer, ok };
    },
    think: async () => {},
    wait: async () => true,
  };
  return { vu, sent };
}

describe('typed load-test calls', () => {
  it('when a documented path has parameters and a query, then they are filled in encoded and unset query values are left out', () => {
    expect(toHttpRequest('GET', '/v1/flash-sales/{id}/queue/{ticket}', { path: { id: 'sale 1', ticket: 'a/b+c' } }).path)
      .toBe('/v1/flash-sales/sale%201/queue/a%2Fb%2Bc');
    expect(toHttpRequest('GET', '/v1/products', { query: { q: 'red shirt', limit: 20, cursor: undefined } }).path).toBe('/v1/products?q=red+shirt&limit=20');
    expect(() => toHttpRequest('GET', '/v1/orders/{id}', {})).toThrow('no value for {id}');
  });

  it('when a step is a typed operation, then the runner gets the same request it built by hand before, with its expected statuses', async () => {
    const { vu, sent } = recordingUser({ status: 202, body: { orderId: 'o-1', status: 'pending' } });
    const placed = await callAs(vu, 'checkout', 'POST', '/v1/checkout', {
      headers: { authorization: 'Bearer t', 'idempotency-key': 'k-1' },
      body: { cartId: 'c-1', email: 'a@example.com', shippingAddress: { name: 'A', line1: 'L', city: 'C', postalCode: 'P', country: 'DE' }, paymentToken: 'tok_visa' },
      expect: [202, 409],
    });
    expect(sent).toEqual([{
      step: 'checkout',
      request: {
        method: 'POST',
        path: '/v1/checkout',
        headers: { authorization: 'Bearer t', 'idempotency-key': 'k-1' },
        body: { cartId: 'c-1', email: 'a@example.com', shippingAddress: { name: 'A', line1: 'L', city: 'C', postalCode: 'P', country: 'DE' }, paymentToken: 'tok_visa' },
        expect: [202, 409],
      },
    }]);
    expect(placed).toMatchObject({ status: 202, ok: true, data: { orderId: 'o-1' }, problem: undefined });
  });

  it('when the shop refuses or the body is not JSON, then there is no data; a problem+json body is the problem', () => {
    const refusal = { type: 'about:blank', title: 'Conflict', status: 409, code: 'INVENTORY_INSUFFICIENT', detail: 'gone' };
    expect(typedAnswer(409, refusal)).toEqual({ data: undefined, problem: refusal });
    expect(typedAnswer(200, undefined)).toEqual({ data: undefined, problem: undefined });
    expect(typedAnswer(0, undefined)).toEqual({ data: undefined, problem: undefined });
    expect(typedAnswer(502, 'Bad Gateway')).toEqual({ data: undefined, problem: undefined });
  });

  it('when a call strays from the API document, then it does not type-check (tsc checks these lines)', async () => {
    const { vu } = recordingUser({ status: 201, body: {} });
    // @ts-expect-error: not a documented path
    await callAs(vu, 'x', 'GET', '/v1/basket/{id}', { path: { id: '1' } });
    // @ts-expect-error: the field is `quantity`
    await callAs(vu, 'x', 'POST', '/v1/carts/{id}/items', { path: { id: '1' }, body: { variantId: 'v', qty: 1 } });
    // @ts-expect-error: checkout requires an Idempotency-Key header
    await callAs(vu, 'x', 'POST', '/v1/checkout', { headers: { authorization: 'Bearer t' }, body: { paymentToken: 'tok_visa', shippingAddress: { name: 'A', line1: 'L', city: 'C', postalCode: 'P', country: 'DE' } } });
    // @ts-expect-error: the path parameter is `id` (and at run time nothing fills {id})
    await expect(callAs(vu, 'x', 'GET', '/v1/orders/{id}', { path: { orderId: '1' } })).rejects.toThrow('no value for {id}');
    const guest = await callAs(vu, 'x', 'POST', '/v1/auth/guest', {});
    // @ts-expect-error: a guest session's answer has no refresh token in the document
    expect(guest.data?.refreshToken).toBeUndefined();
  });
});

describe('setup and check calls (callIn)', () => {
  it('when the shop sheds a setup call with 503 and Retry-After, then it is sent again until answered; a 503 without Retry-After is returned as it came', async () => {
    let asked = 0;
    const server = createServer((req, res) => {
      asked++;
      if (req.url === '/v1/categories' && asked <= 2) {
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '0' }).end('{"code":"OVERLOADED"}');
      } else if (req.url === '/v1/categories') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
      } else {
        res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"code":"DATABASE_UNAVAILABLE"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createHttpClient(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), { connections: 1, timeoutMs: 5_000 });
    const ctx: ScenarioContext = { options: {}, runId: 'run', admin: undefined, request: (r) => client.send(r), log: () => {} };
    try {
      const listed = await callIn(ctx, 'GET', '/v1/categories', {});
      expect(listed.status).toBe(200);
      expect(asked).toBe(3);
      const down = await callIn(ctx, 'GET', '/v1/products', {});
      expect(down.status).toBe(503);
      expect(asked).toBe(4);
    } finally {
      await client.close();
      server.close();
    }
  });
});
