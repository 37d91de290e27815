import type { JWK } from 'jose';

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  publicJwk: JWK;
  /** the private JWK as JSON, sealed by the envelope (aad binds it to its kid) */
  privateKeySealed: string | null;
  /** a plaintext private JWK written before keys were sealed; null once sealed */
  legacyPrivateJwk: JWK | null;
  active: boolean;
  createdAt: Date;
  retiredAt: Date | null;
}

export type NewSigningKey = Pick<SigningKeyRecord, 'kid' | 'alg' | 'publicJwk' | 'createdAt'> & { privateKeySealed: string };

export type RetireResult = 'retired' | 'not_found' | 'active';

/** The token-signing keys of the customers service (one aggregate, split from the account store). */
export interface SigningKeyStore {
  /** false when another key is already active (first-start race, or a concurrent rotation) */
  insertActiveSigningKey(key: NewSigningKey): Promise<boolean>;
  findActiveSigningKey(): Promise<SigningKeyRecord | null>;
  /** every key not retired: what the JWKS publishes */
  listPublishedSigningKeys(): Promise<SigningKeyRecord[]>;
  /** in one transaction the active key steps down (still published) and `next` becomes active */
  replaceActiveSigningKey(next: NewSigningKey): Promise<{ previousKid: string | null }>;
  retireSigningKey(kid: string, at: Date): Promise<RetireResult>;
  /** every key, retired ones included: what sealing and re-wrapping walk over */
  listAllSigningKeys(): Promise<SigningKeyRecord[]>;
  /**
   * Stores `sealed` as the key's private part and drops any plaintext, only if the stored sealed
   * value is still `expected` (null: not sealed yet); false when another process changed it first.
   */
  replaceSealedPrivateKey(kid: string, expected: string | null, sealed: string): Promise<boolean>;
}
