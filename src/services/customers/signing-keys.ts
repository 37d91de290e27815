import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { TOKEN_ALGORITHM } from '../../platform/auth/principal.js';
import type { Envelope } from '../../platform/crypto/envelope.js';
import type { NewSigningKey, SigningKeyRecord, SigningKeyStore } from './storage/signing-key-store.js';

export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export interface SigningKeys {
  /** the key new tokens are signed with; created (race-safely) when none exists yet */
  active(): Promise<ActiveSigningKey>;
  /** every published (non-retired) public key, as served at /.well-known/jwks.json */
  jwks(): Promise<JSONWebKeySet>;
  /** forget the cached active key, after this process rotated it */
  invalidate(): void;
}

export interface SigningKeysDeps {
  store: SigningKeyStore;
  envelope: Envelope;
  clock: () => Date;
  /**
   * How long this process keeps signing with the key it loaded. After another process rotates, we
   * keep using the previous key (still published) for at most this long.
   */
  cacheMs?: number;
}

/** Binds a sealed private key to its kid: a sealed key copied onto another row does not open. */
export const privateKeyAad = (kid: string) => `customers.signing_keys.private_key:${kid}`;

/**
 * The private JWK is sealed before it reaches the database (envelope encryption under the KEK), so
 * a copy of the database, a backup or a world-readable data dir is not enough to forge tokens.
 */
export async function generateSigningKey(now: Date, envelope: Envelope): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  return {
    kid,
    alg: TOKEN_ALGORITHM,
    publicJwk: { ...publicJwk, ...meta },
    privateKeySealed: envelope.seal(JSON.stringify({ ...(await exportJWK(privateKey)), ...meta }), privateKeyAad(kid)),
    createdAt: now,
  };
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'] as const;

/** Publishes only public members, whatever is stored: a JWKS must never carry `d`. */
const publicPart = (jwk: JWK): JWK =>
  Object.fromEntries(PUBLIC_MEMBERS.flatMap((m) => (jwk[m] !== undefined ? [[m, jwk[m]]] : []))) as JWK;

/** The private JWK of a stored key: opened from its sealed form, or a not-yet-sealed legacy row. */
export function privateJwkOf(record: SigningKeyRecord, envelope: Envelope): JWK {
  if (record.privateKeySealed) return JSON.parse(envelope.open(record.privateKeySealed, privateKeyAad(record.kid))) as JWK;
  if (record.legacyPrivateJwk) return record.legacyPrivateJwk;
  throw new Error(`customers: signing key ${record.kid} has no private part`);
}

export function createSigningKeys({ store, envelope, clock, cacheMs = 60_000 }: SigningKeysDeps): SigningKeys {
  let cached: { at: number; key: Promise<ActiveSigningKey> } | undefined;

  const load = async (): Promise<ActiveSigningKey> => {
    let record = await store.findActiveSigningKey();
    if (!record) {
      // Two processes starting at once both get here; the one-active-key unique index lets one
      // insert win, and both then read the winner's key.
      await store.insertActiveSigningKey(await generateSigningKey(clock(), envelope));
      record = await store.findActiveSigningKey();
      if (!record) throw new Error('customers: no active signing key after creating one');
    }
    const privateKey = (await importJWK(privateJwkOf(record, envelope), record.alg)) as CryptoKey;
    return { kid: record.kid, privateKey };
  };

  const active = () => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const key = load();
      cached = { at: Date.now(), key };
      // a failed load (database down) must not be remembered for a minute
      key.catch(() => {
        if (cached?.key === key) cached = undefined;
      });
    }
    return cached.key;
  };

  return {
    active,
    async jwks() {
      await active(); // the first request may arrive before any token was issued
      const keys = await store.listPublishedSigningKeys();
      return { keys: keys.map((k) => publicPart(k.publicJwk)) };
    },
    invalidate() {
      cached = undefined;
    },
  };
}
