import { newId } from '../../platform/ids.js';
import { randomBytes } from 'node:crypto';
import { auditEntry, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import { randomSecret, sha256Hex } from './secret-tokens.js';
import type { ApiKeyRecord, CustomerStore } from './storage/customer-store.js';

/** `fgk_<8 hex prefix>_<43 base64url chars>`: greppable in leaked-secret scans, prefix identifies it in listings. */
export const API_KEY_FORMAT = /^fgk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

/** Keys that "expire" years away are keys that never do; ask for a new one instead. */
export const MAX_API_KEY_LIFETIME_MS = 2 * 365 * 24 * 60 * 60 * 1000;

export type CreateApiKeyResult =
  | { ok: true; apiKey: ApiKeyRecord; key: string }
  | { ok: false; code: 'CUSTOMERS_API_KEY_EXPIRY_INVALID'; message: string };

export const makeCreateApiKey =
  ({ store, audit, clock }: { store: CustomerStore; audit: AuditLog; clock: () => Date }) =>
  async (input: { name: string; expiresAt?: Date }, by: AuditContext): Promise<CreateApiKeyResult> => {
    const now = clock();
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
      return { ok: false, code: 'CUSTOMERS_API_KEY_EXPIRY_INVALID', message: 'must be in the future' };
    }
    if (input.expiresAt && input.expiresAt.getTime() - now.getTime() > MAX_API_KEY_LIFETIME_MS) {
      return { ok: false, code: 'CUSTOMERS_API_KEY_EXPIRY_INVALID', message: 'must be at most 2 years away' };
    }
    const prefix = randomBytes(4).toString('hex');
    const key = `fgk_${prefix}_${randomSecret(32)}`;
    const apiKey: ApiKeyRecord = {
      id: newId(),
      name: input.name,
      prefix,
      role: 'admin',
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    };
    // only the hash is kept: the caller sees the key once, in this answer
    await store.insertApiKey({ ...apiKey, keyHash: sha256Hex(key) });
    // the prefix identifies the key in listings; the key itself never reaches the audit log
    await audit.record(
      auditEntry(by, 'api_key.created', { type: 'api_key', id: apiKey.id }, { name: apiKey.name, prefix, ...(apiKey.expiresAt ? { expiresAt: apiKey.expiresAt.toISOString() } : {}) }),
    );
    return { ok: true, apiKey, key };
  };
