import { SignJWT } from 'jose';
import { uuidv7 } from 'uuidv7';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from '../../platform/auth/principal.js';
import type { SigningKeys } from './signing-keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * Guests get no refresh token: a refresh token is a long-lived credential that only makes sense
 * when the holder can prove who they are again (a password) once it is lost or revoked. A guest has
 * nothing to log in with, so instead its one access token lasts a shopping visit (24 h); when it
 * ends the guest starts a new guest session or registers.
 */
export const GUEST_ACCESS_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

export type IssueAccessToken = (subject: { id: string; role: Role }, ttlSeconds: number) => Promise<IssuedAccessToken>;

export function makeIssueAccessToken({ signingKeys, clock }: { signingKeys: SigningKeys; clock: () => Date }): IssueAccessToken {
  return async (subject, ttlSeconds) => {
    const { kid, privateKey } = await signingKeys.active();
    const now = Math.floor(clock().getTime() / 1000);
    const accessToken = await new SignJWT({ role: subject.role, typ: 'access' })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'at+jwt' })
      .setSubject(subject.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti(uuidv7())
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(privateKey);
    return { accessToken, expiresIn: ttlSeconds };
  };
}
