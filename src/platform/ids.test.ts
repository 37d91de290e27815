import { describe, expect, it } from 'vitest';
import { isUuid, newRequestId } from './ids.js';

describe('request ids', () => {
  it('when many are made in a row, then each is a distinct UUIDv7 and they sort in the order they were made', () => {
    const ids = Array.from({ length: 5_000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(isUuid(id) && id[14] === '7').toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
