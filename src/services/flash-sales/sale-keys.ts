import { hkdfSync, randomBytes } from 'node:crypto';
import type { Envelope } from '../../platform/crypto/envelope.js';
import type { RewrapReport } from '../../platform/service.js';
import type { SecretStore } from './storage/secret-store.js';

/** What signs the waiting room's tickets and admission tokens: the same in every process of a deployment. */
export interface SaleKeys {
  /** HMAC-SHA256 key of queue tickets */
  ticket: Buffer;
  /** HS256 key of admission tokens */
  admission: Uint8Array;
}

const SECRET_NAME = 'waiting-room';
/** binds the sealed secret to its row: a sealed value copied under another name does not open */
const secretAad = (name: string) => `flash_sales.secrets:${name}`;

// one random secret, two keys derived for their purposes, so a ticket MAC can never pass as a token signature
const derive = (secret: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `floodgate.flash-sales.${purpose}`, 32));

/**
 * The keys, loaded once per process: the first process of a deployment generates the secret and
 * stores it sealed (envelope encryption), every other process opens the stored one.
 */
export function createSaleKeys({ store, envelope }: { store: SecretStore; envelope: Envelope }) {
  let loading: Promise<SaleKeys> | undefined;
  let loaded: SaleKeys | undefined;

  const load = async (): Promise<SaleKeys> => {
    const sealed =
      (await store.find(SECRET_NAME)) ??
      (await store.insertIfAbsent(SECRET_NAME, envelope.seal(randomBytes(32).toString('base64url'), secretAad(SECRET_NAME))));
    const secret = Buffer.from(envelope.open(sealed, secretAad(SECRET_NAME)), 'base64url');
    loaded = { ticket: derive(secret, 'ticket'), admission: new Uint8Array(derive(secret, 'admission-token')) };
    return loaded;
  };

  return {
    get(): Promise<SaleKeys> {
      loading ??= load().catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
      return loading;
    },
    /** the keys once loaded, else undefined: for synchronous readers */
    peek: (): SaleKeys | undefined => loaded,
    /** re-wraps the sealed secrets with the current key-encryption key (`floodgate keys rewrap`) */
    async rewrap(): Promise<RewrapReport> {
      let rewrapped = 0;
      const all = await store.list();
      for (const { name, sealed } of all) {
        if (!envelope.needsRewrap(sealed)) continue;
        if (await store.replace(name, sealed, envelope.rewrap(sealed, secretAad(name)))) rewrapped++;
      }
      return { service: 'flash-sales', scanned: all.length, rewrapped };
    },
  };
}

export type SaleKeysSource = ReturnType<typeof createSaleKeys>;
