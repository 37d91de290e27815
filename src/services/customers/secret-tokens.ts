import { newId } from '../../platform/ids.js';
import { createHash, randomBytes } from 'node:crypto';
import type { NewRefreshToken } from './storage/customer-store.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** 32 random bytes, base64url: unguessable, so storing a plain sha256 of it is enough. */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/**
 * Refresh tokens and API keys carry 256 bits of randomness, so a fast hash is safe (no dictionary to
 * try) and lets a lookup be one indexed equality; a database leak yields no usable credential.
 */
export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** A fresh refresh token of `familyId`; the plain token goes to the client, the record to the store. */
export function mintRefreshToken(customerId: string, familyId: string, now: Date): { token: string; record: NewRefreshToken } {
  const token = randomSecret();
  return {
    token,
    record: {
      id: newId(),
      familyId,
      customerId,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
      createdAt: now,
    },
  };
}
