import { describe, expect, it } from 'vitest';
import { auditFaultRun, expectInvariants } from '../support/fault-audit.js';
import { reportFigures, standardFigures } from '../support/fault-figures.js';
import { startFaultRig } from '../support/fault-rig.js';
import { privatePostgresAvailable } from '../support/private-postgres.js';

const available = privatePostgresAvailable();

describe.skipIf(!available)('fault: a PostgreSQL backend is terminated', () => {
  it('when one backend is terminated during checkout load, then the shop stays up, answers no 500 and every acknowledged order ends final', { timeout: 90_000 }, async () => {
    await using rig = await startFaultRig({ stock: 1_000 });
    // one in five declines, so failed payments release stock under the fault too
    const customers = await rig.prepareCustomers(90, (i) => (i % 5 === 4 ? 'tok_declined' : 'tok_visa'));
    await using probe = rig.startProbe();
    await using load = rig.startLoad(customers, { perSecond: 15 });

    await rig.waitFor('20 acknowledged checkouts', () => load.acknowledged.length >= 20);
    expect(await rig.pg.terminateBackends({ limit: 1 })).toBe(1);
    const result = await load.finished;

    // and with nothing running: every pooled connection cut at once, as a failover or a DBA would
    await rig.pg.terminateBackends();
    const cutAt = Date.now();
    const ready = await rig.waitFor('/readyz 200 after every backend was cut', () => probe.firstSince(cutAt, 200), { timeoutMs: 15_000 });

    const audit = await auditFaultRun(rig, result, { settleWithinMs: 40_000, extraStatuses: (await probe.stop()).map((s) => s.status) });
    await reportFigures('postgres backend terminated', { ...standardFigures(result, audit), 'ready after all cut ms': ready.answeredAt - cutAt });
    expectInvariants(rig, result, audit);
  });
});
