import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedPglite, databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import type { Database } from '../db/database.js';
import { createRemoteRevocationList } from './remote-revocation-list.js';
import { cutRevocationListener, expectNotifiedWithinASecond, REVOCATION_TABLE, REVOCATION_TABLE_DDL, unseenToken } from './revocation-table.test-support.js';
import { createSqlRevocationList, revocationChannel } from './sql-revocation-list.js';

const logger = pino({ level: 'silent' });
const inAnHour = () => new Date(Date.now() + 3_600_000);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

describe('a remote copy of the revocation list (what a serve process checks tokens against)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createMigratedPglite([]);
    await sql.raw(REVOCATION_TABLE_DDL).execute(db.kysely);
  });
  afterAll(() => db?.close());
  const owner = () => createSqlRevocationList({ db, table: 'revocation_test.revocations', logger });

  it('when the owner revokes a session and a subject, then the copy refuses their tokens within its poll period, and later tokens of the subject pass', async () => {
    const customers = owner();
    const copy = createRemoteRevocationList({ fetchSince: (since) => customers.listSince(since), logger, pollMs: 50 });
    copy.worker.start();
    try {
      const session = { sid: `s-${Math.random()}`, sub: 'c-1', iat: seconds(new Date()) };
      const older = { sid: 'another', sub: `c-${Math.random()}`, iat: seconds(new Date()) - 10 };
      expect(await copy.isRevoked(session)).toBe(false);
      expect(await copy.isRevoked(older)).toBe(false);
      await customers.revokeSession(session.sid, inAnHour());
      await customers.revokeSubject(older.sub, new Date(), inAnHour());
      await expect.poll(() => copy.isRevoked(session), { timeout: 2_000, interval: 10 }).toBe(true);
      await expect.poll(() => copy.isRevoked(older), { timeout: 2_000, interval: 10 }).toBe(true);
      expect(await copy.isRevoked({ ...older, sid: 'later', iat: seconds(new Date()) + 5 })).toBe(false);
    } finally {
      await copy.worker.stop();
    }
  });

  it('when the owner cannot be reached for the first copy, then checks fail (no token passes unchecked) until it can', async () => {
    const customers = owner();
    let reachable = false;
    const copy = createRemoteRevocationList({
      fetchSince: (since) => (reachable ? customers.listSince(since) : Promise.reject(new Error('connect ECONNREFUSED'))),
      logger,
    });
    const token = { sid: `s-${Math.random()}`, sub: 'c-2', iat: seconds(new Date()) };
    await expect(copy.isRevoked(token)).rejects.toThrow('ECONNREFUSED');
    await customers.revokeSession(token.sid, inAnHour());
    reachable = true;
    expect(await copy.isRevoked(token)).toBe(true);
  });

  it('when notifications come in a storm, then the copy asks the owner at most once per interval, and the last one is not lost', async () => {
    let notify: () => void = () => {};
    let asked = 0;
    const copy = createRemoteRevocationList({
      fetchSince: async () => {
        asked++;
        return [];
      },
      logger,
      pollMs: 60_000,
      minNotifiedIntervalMs: 50,
      listen: (onNotify) => {
        notify = onNotify;
        return { listening: () => true, close: async () => {} };
      },
    });
    copy.worker.start();
    try {
      await expect.poll(() => asked).toBeGreaterThan(0);
      const before = asked;
      const started = performance.now();
      // one notification per turn of the event loop for 300 ms: unthrottled, each would be a call to the owner
      let sent = 0;
      while (performance.now() - started < 300) {
        notify();
        sent++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const elapsed = performance.now() - started;
      const duringStorm = asked - before;
      expect(sent).toBeGreaterThan(50);
      expect(duringStorm).toBeGreaterThan(0);
      expect(duringStorm).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
      // a notification right after an ask is held back, not dropped: it ends in one more ask, not in silence until the next poll
      const settled = asked;
      notify();
      await expect.poll(() => asked, { timeout: 2_000 }).toBeGreaterThan(settled);
    } finally {
      await copy.worker.stop();
    }
  });

  it('when something asks the copy to revoke, then it refuses: only the customers service revokes', async () => {
    const copy = createRemoteRevocationList({ fetchSince: async () => [], logger });
    await expect(copy.revokeSession('s', inAnHour())).rejects.toThrow(/read-only copy/);
    await expect(copy.revokeSubject('c', new Date(), inAnHour())).rejects.toThrow(/read-only copy/);
  });
});

// The split topology: the owner (customers) and the copy (another service's process) share one PostgreSQL database,
// so the copy can hear the notification the owner's revocation sends when it commits.
const postgres = (await databaseAdapters()).find((adapter) => adapter.name === 'postgres')!;
describe.skipIf(!postgres.available)('a remote copy that listens to the owner\'s notifications (PostgreSQL)', () => {
  const table = REVOCATION_TABLE;
  let test: TestDatabase;
  beforeAll(async () => {
    test = await postgres.create([]);
    await sql.raw(REVOCATION_TABLE_DDL).execute(test.db.kysely);
  });
  afterAll(() => test?.dispose());
  /** a copy whose next poll is a minute away: only a notification can bring a revocation sooner */
  const listeningCopy = (customers: ReturnType<typeof createSqlRevocationList>) =>
    createRemoteRevocationList({
      fetchSince: (since) => customers.listSince(since),
      logger,
      pollMs: 60_000,
      listen: (onNotify) => test.db.listen!(revocationChannel(table), onNotify),
    });

  it('when polling is a minute away, then the owner\'s revocation reaches the copy through its notification within a second', async () => {
    const customers = createSqlRevocationList({ db: test.db, table, logger });
    const copy = listeningCopy(customers);
    copy.worker.start();
    try {
      await expect.poll(() => copy.listening(), { timeout: 5_000 }).toBe(true);
      await expectNotifiedWithinASecond(copy, unseenToken(), (sid) => customers.revokeSession(sid, inAnHour()));
    } finally {
      await copy.worker.stop();
    }
    expect(copy.listening()).toBe(false);
  });

  it('when the copy\'s listening connection is cut, then it connects again, catches up on what it missed, and is notified again', async () => {
    const customers = createSqlRevocationList({ db: test.db, table, logger });
    const copy = listeningCopy(customers);
    copy.worker.start();
    try {
      await expect.poll(() => copy.listening(), { timeout: 5_000 }).toBe(true);
      const missed = unseenToken();
      expect(await copy.isRevoked(missed)).toBe(false);
      await cutRevocationListener(test.db);
      // revoked while the listener may be away: its notification can be lost, and the reconnection's own pass finds it
      await customers.revokeSession(missed.sid, inAnHour());
      await expect.poll(() => copy.isRevoked(missed), { timeout: 10_000, interval: 20 }).toBe(true);
      await expect.poll(() => copy.listening(), { timeout: 10_000 }).toBe(true);
      await expectNotifiedWithinASecond(copy, unseenToken(), (sid) => customers.revokeSession(sid, inAnHour()));
    } finally {
      await copy.worker.stop();
    }
  });
});
