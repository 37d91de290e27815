import { describe, it } from 'vitest';
import { checkoutThroughDatabaseOutage, expectOutageAnswers } from '../support/database-outage.js';
import { expectInvariants } from '../support/fault-audit.js';
import { reportFigures } from '../support/fault-figures.js';
import { startFaultRig } from '../support/fault-rig.js';
import { privatePostgresAvailable } from '../support/private-postgres.js';

const available = privatePostgresAvailable();

describe.skipIf(!available)('fault: PostgreSQL is stopped', () => {
  it('when PostgreSQL crashes (stop -m immediate) for 10 s during checkout load, then the shop answers 503 with Retry-After, recovers by itself and loses nothing', { timeout: 90_000 }, async () => {
    await using rig = await startFaultRig({ stock: 1_000 });
    const run = await checkoutThroughDatabaseOutage(rig, {
      begin: () => rig.pg.stop({ mode: 'immediate' }),
      end: () => rig.pg.start(),
    });
    await reportFigures('postgres stopped 10 s', run.figures);
    expectOutageAnswers(run);
    expectInvariants(rig, run.load, run.audit);
  });
});
