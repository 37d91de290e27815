import { describe, expect, it } from 'vitest';
import { createIdGenerator, isUuid, newId, newRequestId, newSpanId, newTraceId } from './ids.js';

describe('request ids', () => {
  it('when many are made in a row, then each is a distinct UUIDv7 and they sort in the order they were made', () => {
    const ids = Array.from({ length: 5_000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(isUuid(id) && id[14] === '7').toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('row ids', () => {
  it('when many are made in a row (past several refills of the buffer), then each is a distinct UUIDv7 with the RFC variant and they sort in the order they were made', () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('when a generator stamps an id with a given time, then the id carries that millisecond', () => {
    const at = Date.UTC(2026, 11, 1, 9, 30);
    const id = createIdGenerator().generateOrResetWithTs(at).toString();
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });
});

describe('trace and span ids', () => {
  it('when many are made (past several refills of the buffer), then each has the W3C shape and none repeats', () => {
    const traces = Array.from({ length: 2_000 }, () => newTraceId());
    const spans = Array.from({ length: 2_000 }, () => newSpanId());
    for (const id of traces) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    for (const id of spans) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(traces).size).toBe(traces.length);
    expect(new Set(spans).size).toBe(spans.length);
  });
});
