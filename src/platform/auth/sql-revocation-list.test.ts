import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import { cutRevocationListener, expectNotifiedWithinASecond, REVOCATION_TABLE_DDL, unseenToken } from './revocation-table.test-support.js';
import { createSqlRevocationList } from './sql-revocation-list.js';


const logger = pino({ level: 'silent' });
const inAnHour = () => new Date(Date.now() + 3_600_000);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`${adapter.name} revocation list`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await adapter.create([]);
      await sql.raw(REVOCATION_TABLE_DDL).execute(test.db.kysely);
    });
    afterAll(() => test?.dispose());

    /** one list per simulated process, all on the same table */
    const processOf = (pollMs = 100) => createSqlRevocationList({ db: test.db, table: 'revocation_test.revocations', logger, pollMs });

    it('when a session is revoked in one process, then it is revoked there at once and in another within its poll period', async () => {
      const [one, two] = [processOf(), processOf()];
      two.worker.start();
      try {
        const token = { sid: `s-${Math.random()}`, sub: 'c-1', iat: seconds(new Date()) };
        expect(await two.isRevoked(token)).toBe(false);
        await one.revokeSession(token.sid, inAnHour());
        expect(await one.isRevoked(token)).toBe(true);
        const started = Date.now();
        await expect.poll(() => two.isRevoked(token), { timeout: 1_000, interval: 10 }).toBe(true);
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(await two.isRevoked({ ...token, sid: 'another-session' })).toBe(false);
      } finally {
        await two.worker.stop();
      }
    });

    it('when a subject is revoked, then its tokens issued up to then fail and later ones pass, in a process that starts afterwards too', async () => {
      const at = new Date();
      await processOf().revokeSubject('c-2', at, inAnHour());
      const late = processOf();
      expect(await late.isRevoked({ sid: 's', sub: 'c-2', iat: seconds(at) - 60 })).toBe(true);
      expect(await late.isRevoked({ sid: 's', sub: 'c-2', iat: seconds(at) + 1 })).toBe(false);
      expect(await late.isRevoked({ sid: 's', sub: 'c-3', iat: seconds(at) - 60 })).toBe(false);
    });

    // PostgreSQL only (not declared for PGlite, one process's database; a PgBouncer in transaction mode has no
    // session to listen in, see database.ts)
    if (adapter.name === 'postgres') it('when polling is a minute away, then a revocation reaches a listening process through its notification within a second', async () => {
      const [one, two] = [processOf(60_000), processOf(60_000)];
      two.worker.start();
      try {
        await expect.poll(() => two.listening(), { timeout: 5_000 }).toBe(true);
        // the first pass (at start, and on connecting) is over before the revocation is made
        await expectNotifiedWithinASecond(two, unseenToken(), (sid) => one.revokeSession(sid, inAnHour()));
      } finally {
        await two.worker.stop();
      }
      expect(two.listening()).toBe(false);
    });

    if (adapter.name === 'postgres') it('when the listening connection is cut, then it connects again, catches up on what it missed, and is notified again', async () => {
      const [one, two] = [processOf(60_000), processOf(60_000)];
      two.worker.start();
      try {
        await expect.poll(() => two.listening(), { timeout: 5_000 }).toBe(true);
        await cutRevocationListener(test.db);
        // revoked while the listener is away: its notification is lost, and the reconnection's own pass finds it
        const missed = unseenToken();
        await one.revokeSession(missed.sid, inAnHour());
        await expect.poll(() => two.isRevoked(missed), { timeout: 5_000, interval: 20 }).toBe(true);
        await expect.poll(() => two.listening(), { timeout: 5_000 }).toBe(true);
        await expectNotifiedWithinASecond(two, unseenToken(), (sid) => one.revokeSession(sid, inAnHour()));
      } finally {
        await two.worker.stop();
      }
    });

    it('when a revocation has outlived its tokens, then it is neither loaded nor held', async () => {
      const one = processOf();
      await one.revokeSession('expired-session', new Date(Date.now() - 1_000));
      expect(await one.isRevoked({ sid: 'expired-session', sub: 'x', iat: 0 })).toBe(false);
      expect(await processOf().isRevoked({ sid: 'expired-session', sub: 'x', iat: 0 })).toBe(false);
    });
  });
}
