import { hash, parseOptions, verify, type Options } from '@node-rs/argon2';

/** OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB, 2 passes, 1 lane. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: 2, // Argon2id; the package's enum is an ambient const enum, unusable under isolatedModules
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/**
 * A real argon2id hash with the same parameters, of a password nobody knows. Logging in with an
 * unknown email verifies against it, so that answer costs as long as a wrong password and the
 * response time does not tell which emails have accounts.
 */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$I7mGB3X/k9D9wIsFK+oGuw$aBdd1BkufghteDP/mG78mWDhdiKW7FOWyK/w5MRDNc8';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** false for a wrong password, and for a null hash (after the same amount of work) */
  verify(passwordHash: string | null, password: string): Promise<boolean>;
  /** true when the hash was made with weaker parameters than today's, so it should be replaced */
  needsRehash(passwordHash: string): boolean;
}

export function createArgon2PasswordHasher(): PasswordHasher {
  return {
    hash: (password) => hash(password, PASSWORD_HASH_OPTIONS),
    async verify(passwordHash, password) {
      if (passwordHash === null) {
        await verify(DUMMY_HASH, password);
        return false;
      }
      try {
        return await verify(passwordHash, password);
      } catch {
        // a corrupt stored hash must read as "wrong password", never as a 500 with details
        return false;
      }
    },
    needsRehash(passwordHash) {
      try {
        const o = parseOptions(passwordHash);
        return (
          o.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
          o.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost ||
          o.timeCost < PASSWORD_HASH_OPTIONS.timeCost
        );
      } catch {
        return true;
      }
    },
  };
}
