import { newId } from '../../platform/ids.js';
import { SignJWT } from 'jose';
import { MAX_TOKEN_LIFETIME_SECONDS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_TYPE, type Role } from '../../platform/auth/principal.js';
import type { SigningKeys } from './signing-keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * Guests get no refresh token: a refresh token is a long-lived credential that only makes sense
 * when the holder can prove who they are again (a password) once it is lost or revoked. A guest has
 * nothing to log in with, so instead its one access token lasts a shopping visit; when it ends the
 * guest starts a new guest session or registers. Two hours, the lifetime cap every verifier
 * enforces: long enough for a visit, short enough that a leaked guest token dies soon on its own
 * (and it is revocable like any other).
 */
export const GUEST_ACCESS_TOKEN_TTL_SECONDS = MAX_TOKEN_LIFETIME_SECONDS;

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * `sessionId` becomes the `sid` claim: the refresh-token family of a login, or a guest visit. A registered
 * account's email rides along as the `email` claim, so checkout knows where the receipt goes without calling
 * the customers service on the spike path.
 */
export type IssueAccessToken = (subject: { id: string; role: Role; email?: string | null }, ttlSeconds: number, sessionId: string) => Promise<IssuedAccessToken>;

export function makeIssueAccessToken({ signingKeys, clock }: { signingKeys: SigningKeys; clock: () => Date }): IssueAccessToken {
  return async (subject, ttlSeconds, sessionId) => {
    const { kid, privateKey } = await signingKeys.active();
    const now = Math.floor(clock().getTime() / 1000);
    // verifiers refuse anything longer, so issuing it would only make a token that never works
    const ttl = Math.min(ttlSeconds, MAX_TOKEN_LIFETIME_SECONDS);
    const accessToken = await new SignJWT({ role: subject.role, typ: 'access', sid: sessionId, ...(subject.email ? { email: subject.email } : {}) })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: TOKEN_TYPE })
      .setSubject(subject.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti(newId())
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(privateKey);
    return { accessToken, expiresIn: ttl };
  };
}
