/** One revocation as every adapter holds it: a session (all its tokens) or a subject (tokens issued up to `notBefore`). */
export interface RevocationRecord {
  kind: 'session' | 'subject';
  id: string;
  /** subject revocations: tokens issued at or before this (epoch ms) fail; null for sessions */
  notBefore: number | null;
  /** epoch ms: when the revoked tokens have all expired anyway (the record is dropped then) */
  expiresAt: number;
  /** epoch ms: when it was revoked (the order in which other processes fetch them) */
  revokedAt: number;
}

/**
 * What a process knows of revocations, answered from memory on every request. Plain maps, not an LRU: a
 * revocation must never be evicted while its tokens can still be valid (an evicted one would let a revoked
 * token work again), and an LRU sized for the worst case preallocates it (lru-cache allocated ~80 MB for two
 * lists of a million). Entries leave when they expire (`prune`).
 */
export function createRevocationMemory(clock: () => Date) {
  // session id → when its tokens have all expired (ms)
  const sessions = new Map<string, number>();
  // subject → tokens issued at or before notBefore (ms) are revoked, until expiresAt (ms)
  const subjects = new Map<string, { notBefore: number; expiresAt: number }>();
  return {
    remember(r: Pick<RevocationRecord, 'kind' | 'id' | 'notBefore' | 'expiresAt'>): void {
      if (r.expiresAt <= clock().getTime()) return;
      if (r.kind === 'session') {
        sessions.set(r.id, Math.max(sessions.get(r.id) ?? 0, r.expiresAt));
        return;
      }
      const held = subjects.get(r.id);
      subjects.set(r.id, { notBefore: Math.max(held?.notBefore ?? 0, r.notBefore ?? 0), expiresAt: Math.max(held?.expiresAt ?? 0, r.expiresAt) });
    },
    isRevoked({ sid, sub, iat }: { sid: string; sub: string; iat: number }): boolean {
      const now = clock().getTime();
      const session = sessions.get(sid);
      if (session !== undefined && session > now) return true;
      const subject = subjects.get(sub);
      return subject !== undefined && subject.expiresAt > now && iat * 1000 <= subject.notBefore;
    },
    prune(): void {
      const now = clock().getTime();
      for (const [id, expiresAt] of sessions) if (expiresAt <= now) sessions.delete(id);
      for (const [id, s] of subjects) if (s.expiresAt <= now) subjects.delete(id);
    },
  };
}

/**
 * The first copy of a list, loaded once on the first check and shared by the checks made meanwhile; a first
 * load that fails (its source is down) is not remembered, so the next check tries again and no token passes
 * unchecked before a copy exists.
 */
export function firstLoad(load: () => Promise<unknown>): (() => Promise<void>) & { done(): boolean } {
  let loaded: Promise<void> | undefined;
  let done = false;
  const ready = () => {
    if (!loaded) {
      const loading = load().then(() => void (done = true));
      loaded = loading;
      loading.catch(() => {
        if (loaded === loading) loaded = undefined;
      });
    }
    return loaded;
  };
  /** whether a first copy is in memory (synchronous readers answer only then) */
  return Object.assign(ready, { done: () => done });
}
