import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest } from './http-client.js';
import { RunRecorder } from './run-recorder.js';
import { createVirtualUser, virtualAddress } from './virtual-user.js';

describe('virtual customers', () => {
  it('when many virtual customers are numbered, then each has its own address in 10/8', () => {
    const addresses = Array.from({ length: 70_000 }, (_, n) => virtualAddress(n));
    expect(new Set(addresses).size).toBe(70_000);
    for (const a of addresses.slice(0, 5).concat(addresses.slice(-5))) expect(a).toMatch(/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
    expect(addresses).not.toContain('10.0.0.0');
  });

  it('when virtual customers send requests, then each sends its own X-Forwarded-For on every request, and 429/503 count as refusals', async () => {
    const sent: HttpRequest[] = [];
    const statuses = [200, 429, 503, 500];
    const client: HttpClient = {
      origin: 'http://127.0.0.1:1',
      send: async (request) => {
        sent.push(request);
        return { status: statuses[(sent.length - 1) % statuses.length]!, headers: {}, body: undefined };
      },
      close: async () => {},
    };
    const recorder = new RunRecorder(['step']);
    const deps = { client, recorder, options: {}, runId: 'run', seed: 1, signal: new AbortController().signal };
    const first = createVirtualUser(1, deps);
    const second = createVirtualUser(2, deps);
    await first.request('step', { method: 'GET', path: '/a' });
    await first.request('step', { method: 'POST', path: '/b', headers: { 'idempotency-key': 'k' } });
    await second.request('step', { method: 'GET', path: '/a' });
    await second.request('step', { method: 'GET', path: '/a' });

    const forwarded = sent.map((r) => r.headers?.['x-forwarded-for']);
    expect(forwarded[0]).toBe(forwarded[1]);
    expect(forwarded[2]).toBe(forwarded[3]);
    expect(forwarded[0]).not.toBe(forwarded[2]);
    expect(sent[1]!.headers?.['idempotency-key']).toBe('k');

    const stats = recorder.steps.get('step')!;
    expect(Object.fromEntries(stats.refused)).toEqual({ '429': 1, '503': 1 });
    expect(Object.fromEntries(stats.errors)).toEqual({ '500': 1 });
  });
});
