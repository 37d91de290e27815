import { hash, parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { createArgon2PasswordHasher, PASSWORD_HASH_OPTIONS } from './password-hasher.js';

describe('argon2 password hasher', () => {
  const hasher = createArgon2PasswordHasher();

  it('when a password is hashed, then it is argon2id with the OWASP parameters and verifies only itself', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse batterY')).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(false);
  });

  it('when there is no stored hash (unknown email), then verify still does one argon2 verify of the same cost and says no', async () => {
    const started = performance.now();
    expect(await hasher.verify(null, 'anything')).toBe(false);
    // a real verify with 19 MiB takes milliseconds, not microseconds
    expect(performance.now() - started).toBeGreaterThan(2);
  });

  it('when the stored hash is corrupt, then it reads as a wrong password', async () => {
    expect(await hasher.verify('not-a-hash', 'anything')).toBe(false);
  });

  it('when a hash was made with weaker parameters, then it needs a rehash', async () => {
    const weak = await hash('pw', { ...PASSWORD_HASH_OPTIONS, memoryCost: 1024, timeCost: 1 });
    expect(parseOptions(weak).memoryCost).toBe(1024);
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });
});
