import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEnvelope, isSealed } from './envelope.js';
import { keyEncryptionKeyId, type KeyEncryptionKeys } from './key-encryption-key.js';

const kek = () => {
  const key = randomBytes(32);
  return { id: keyEncryptionKeyId(key), key };
};
const keysOf = (current: KeyEncryptionKeys['current'], ...previous: KeyEncryptionKeys['previous']): KeyEncryptionKeys => ({ current, previous });

/** flips one bit of the decoded part at `index` (1 kekId … 5 ciphertext) */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('envelope', () => {
  const aad = 'customers.email:0190b2a4-0000-7000-8000-000000000001';

  it('when a value is sealed, then it opens to the same text and the ciphertext shows neither the value nor repeats', () => {
    const envelope = createEnvelope(keysOf(kek()));
    const a = envelope.seal('ada@example.com', aad);
    const b = envelope.seal('ada@example.com', aad);
    expect(isSealed(a)).toBe(true);
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(a).not.toContain('ada');
    expect(a).not.toBe(b); // fresh data key and iv per value
    expect(envelope.open(a, aad)).toBe('ada@example.com');
    expect(envelope.open(envelope.seal('', aad), aad)).toBe('');
    expect(envelope.open(envelope.seal('Zoë 🚀', aad), aad)).toBe('Zoë 🚀');
  });

  it.each([
    [2, 'wrap iv'],
    [3, 'wrapped data key'],
    [4, 'iv'],
    [5, 'ciphertext'],
  ])('when one bit of the %s part (%s) is flipped, then open throws', (index) => {
    const envelope = createEnvelope(keysOf(kek()));
    const sealed = envelope.seal('secret', aad);
    expect(() => envelope.open(tamper(sealed, index), aad)).toThrow(/envelope/);
  });

  it('when the kek id inside a value is edited to another known kek, then open throws', () => {
    const [a, b] = [kek(), kek()];
    const sealed = createEnvelope(keysOf(a)).seal('secret', aad);
    const edited = sealed.replace(`v1.${a.id}.`, `v1.${b.id}.`);
    expect(() => createEnvelope(keysOf(a, b)).open(edited, aad)).toThrow(/envelope/);
  });

  it('when a value is opened with another aad (copied to another row), then open throws', () => {
    const envelope = createEnvelope(keysOf(kek()));
    const sealed = envelope.seal('secret', aad);
    expect(() => envelope.open(sealed, 'customers.email:someone-else')).toThrow(/another place/);
  });

  it('when a value is not a sealed value, then open throws a clear error', () => {
    const envelope = createEnvelope(keysOf(kek()));
    expect(isSealed('{"kty":"EC"}')).toBe(false);
    expect(() => envelope.open('{"kty":"EC"}', aad)).toThrow(/not a sealed value/);
  });

  it('when the kek rotates, then old values open with current+previous, need a rewrap, and rewrap moves them to the current kek', () => {
    const [oldKek, newKek] = [kek(), kek()];
    const sealedOld = createEnvelope(keysOf(oldKek)).seal('private jwk', aad);

    const rotated = createEnvelope(keysOf(newKek, oldKek));
    expect(rotated.open(sealedOld, aad)).toBe('private jwk');
    expect(rotated.needsRewrap(sealedOld)).toBe(true);

    const rewrapped = rotated.rewrap(sealedOld, aad);
    expect(rewrapped.startsWith(`v1.${newKek.id}.`)).toBe(true);
    expect(rotated.needsRewrap(rewrapped)).toBe(false);
    expect(rotated.rewrap(rewrapped, aad)).toBe(rewrapped);
    // once rewrapped, the old kek can be dropped from the configuration
    expect(createEnvelope(keysOf(newKek)).open(rewrapped, aad)).toBe('private jwk');
    expect(() => createEnvelope(keysOf(newKek)).open(sealedOld, aad)).toThrow(/does not have/);
  });

  it('when a tampered or misplaced value is rewrapped, then rewrap throws instead of laundering it', () => {
    const [oldKek, newKek] = [kek(), kek()];
    const sealedOld = createEnvelope(keysOf(oldKek)).seal('secret', aad);
    const rotated = createEnvelope(keysOf(newKek, oldKek));
    expect(() => rotated.rewrap(sealedOld, 'another:place')).toThrow(/envelope/);
    expect(() => rotated.rewrap(tamper(sealedOld, 5), aad)).toThrow(/envelope/);
  });

  it('when blind indexes are computed, then they are stable per kek and purpose and differ across both', () => {
    const [a, b] = [kek(), kek()];
    const envelope = createEnvelope(keysOf(a));
    const index = envelope.blindIndex('ada@example.com', 'customers.email');
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(createEnvelope(keysOf(a, b)).blindIndex('ada@example.com', 'customers.email')).toBe(index);
    expect(envelope.blindIndex('ada@example.com', 'orders.email')).not.toBe(index);
    expect(envelope.blindIndex('bob@example.com', 'customers.email')).not.toBe(index);
    // a KEK rotation changes every blind index: the rewrap of those rows must recompute them
    expect(createEnvelope(keysOf(b, a)).blindIndex('ada@example.com', 'customers.email')).not.toBe(index);
  });
});
