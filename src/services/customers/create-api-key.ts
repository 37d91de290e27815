import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { auditEntry, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import { randomSecret, sha256Hex } from './secret-tokens.js';
import type { ApiKeyRecord, CustomerStore } from './storage/customer-store.js';

/** `fgk_<8 hex prefix>_<43 base64url chars>`: greppable in leaked-secret scans, prefix identifies it in listings. */
export const API_KEY_FORMAT = /^fgk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export const makeCreateApiKey =
  ({ store, audit, clock }: { store: CustomerStore; audit: AuditLog; clock: () => Date }) =>
  async (input: { name: string }, by: AuditContext): Promise<{ apiKey: ApiKeyRecord; key: string }> => {
    const prefix = randomBytes(4).toString('hex');
    const key = `fgk_${prefix}_${randomSecret(32)}`;
    const apiKey: ApiKeyRecord = { id: uuidv7(), name: input.name, prefix, role: 'admin', createdAt: clock(), revokedAt: null, lastUsedAt: null };
    // only the hash is kept: the caller sees the key once, in this answer
    await store.insertApiKey({ ...apiKey, keyHash: sha256Hex(key) });
    // the prefix identifies the key in listings; the key itself never reaches the audit log
    await audit.record(auditEntry(by, 'api_key.created', { type: 'api_key', id: apiKey.id }, { name: apiKey.name, prefix }));
    return { apiKey, key };
  };
