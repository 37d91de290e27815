import { MAX_TOKEN_LIFETIME_SECONDS } from '../../platform/auth/principal.js';

/** A revocation made now matters until every token issued before now has expired anyway. */
export const revocationHorizon = (now: Date) => new Date(now.getTime() + MAX_TOKEN_LIFETIME_SECONDS * 1000);
