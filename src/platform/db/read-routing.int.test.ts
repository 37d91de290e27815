import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { privatePostgresAvailable, startPrivatePostgres } from '../../../test/support/private-postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { createPostgresDatabase, type Database } from './database.js';
import { createReadRouting } from './read-routing.js';

const available = privatePostgresAvailable();
const onStandby = async (db: Database) => (await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(db.kysely)).rows[0]!.standby;
const notesOf = (customer: string) => async (db: Database) => ({
  standby: await onStandby(db),
  notes: (await sql<{ note: string }>`select note from notes where customer = ${customer} order by note`.execute(db.kysely)).rows.map((r) => r.note),
});

describe.skipIf(!available)('read routing on a real streaming replica', () => {
  it('when reads tolerate lag, then they go to the replica; a writer reads its own write even with replay paused; a replica down falls back to the primary', { timeout: 120_000 }, async () => {
    // a private primary and a pg_basebackup -R replica of it, each on a free port; the shared server is never touched
    await using primaryServer = await startPrivatePostgres();
    await using replicaServer = await startPrivatePostgres({ replicaOf: primaryServer });
    const short = { queryTimeoutMs: 1_000, connectTimeoutMs: 1_000, pingTimeoutMs: 500 };
    const primary = await createPostgresDatabase({ connectionString: primaryServer.url, maxConnections: 4, ...short });
    const replica = await createPostgresDatabase({ connectionString: replicaServer.url, maxConnections: 4, poolName: 'replica-1', waitForServer: false, ...short });
    const reads = createReadRouting({ primary, replicas: [{ name: 'replica-1', db: replica }], maxLagMs: 500, checkIntervalMs: 100, windowMs: 3_000 });
    try {
      await sql`create table notes (customer text not null, note text not null)`.execute(primary.kysely);
      await sql`insert into notes values ('ann', 'first')`.execute(primary.kysely);
      await waitFor('the replica to replay the setup and join the rotation', async () => {
        await reads.check();
        return reads.status()[0]?.healthy && (await notesOf('ann')(replica)).notes.length === 1;
      }, { timeoutMs: 30_000 });

      // a lag-tolerant read by anyone, and by a writer who wrote nothing lately: the replica
      expect(await reads.read(undefined, notesOf('ann'))).toEqual({ standby: true, notes: ['first'] });
      expect(await reads.read('ann', notesOf('ann'))).toEqual({ standby: true, notes: ['first'] });

      // replay paused: the replica will not see ann's next write
      await replicaServer.query('select pg_wal_replay_pause()');
      reads.wrote('ann');
      await sql`insert into notes values ('ann', 'second')`.execute(primary.kysely);
      expect(await reads.read('ann', notesOf('ann')), 'the writer reads its own write').toEqual({ standby: false, notes: ['first', 'second'] });
      // someone else may read the lagging replica, until its lag passes the bound and it leaves the rotation
      expect(await reads.read('bob', notesOf('ann'))).toEqual({ standby: true, notes: ['first'] });
      await waitFor('the paused replica to leave the rotation', async () => {
        await reads.check();
        return reads.status()[0]?.healthy === false;
      }, { timeoutMs: 10_000 });
      expect(reads.status()[0]).toMatchObject({ healthy: false, reason: 'replay paused' });
      expect(await reads.read('bob', notesOf('ann'))).toEqual({ standby: false, notes: ['first', 'second'] });

      await replicaServer.query('select pg_wal_replay_resume()');
      await waitFor('the resumed replica back in rotation', async () => {
        await reads.check();
        return reads.status()[0]?.healthy;
      }, { timeoutMs: 10_000 });
      expect(await reads.read('bob', notesOf('ann'))).toEqual({ standby: true, notes: ['first', 'second'] });

      // the replica goes down: the read that meets it is rerun on the primary, and the replica leaves the rotation
      await replicaServer.stop({ mode: 'immediate' });
      expect(await reads.read('bob', notesOf('ann'))).toEqual({ standby: false, notes: ['first', 'second'] });
      expect(reads.status()[0]?.healthy).toBe(false);
      await reads.check();
      expect(reads.status()[0]?.healthy).toBe(false);
      expect(await reads.read(undefined, notesOf('ann'))).toEqual({ standby: false, notes: ['first', 'second'] });
    } finally {
      await reads.close();
      await primary.close();
    }
  });
});
