/**
 * Which access tokens are revoked before they expire. Verification asks on every request, so an
 * adapter answers from memory and learns about revocations made by other processes within
 * `maxStalenessMs` (the SQL adapter polls; a Redis adapter would subscribe or look up).
 */
export interface RevocationList {
  /** every token of this session fails from now on; `until`: when its last token expires anyway */
  revokeSession(sessionId: string, until: Date): Promise<void>;
  /**
   * every token of this subject issued at or before `at` fails (account deactivated); tokens issued
   * within the same second as `at` fail too, since `iat` has whole seconds
   */
  revokeSubject(subject: string, at: Date, until: Date): Promise<void>;
  isRevoked(token: { sid: string; sub: string; iat: number }): Promise<boolean>;
  /** the same answer from memory, synchronously; undefined while no first copy is loaded (or the adapter cannot tell) */
  isRevokedNow?(token: { sid: string; sub: string; iat: number }): boolean | undefined;
  /** the longest a revocation made in another process may take to be seen here */
  readonly maxStalenessMs: number;
}
