import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from './request-hash.js';

describe('request hash', () => {
  it('when two bodies differ only in key order, then they hash the same', () => {
    const a = { cartId: 'c', shippingAddress: { city: 'X', name: 'N' }, paymentToken: 'tok_visa' };
    const b = { paymentToken: 'tok_visa', shippingAddress: { name: 'N', city: 'X' }, cartId: 'c' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
  });

  it('when any value differs, or an array is reordered, then the hashes differ', () => {
    const base = { a: 1, list: [1, 2], nested: { x: 'y' } };
    expect(requestHash({ ...base, a: 2 })).not.toBe(requestHash(base));
    expect(requestHash({ ...base, list: [2, 1] })).not.toBe(requestHash(base));
    expect(requestHash({ ...base, nested: { x: 'z' } })).not.toBe(requestHash(base));
  });

  it('when a field is undefined, then it hashes like an absent field', () => {
    expect(requestHash({ a: 1, email: undefined })).toBe(requestHash({ a: 1 }));
    expect(requestHash({ a: 1, email: null })).not.toBe(requestHash({ a: 1 }));
  });

  it('when the body is not an object, then it still hashes deterministically', () => {
    expect(requestHash(undefined)).toBe(requestHash(null));
    expect(requestHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
