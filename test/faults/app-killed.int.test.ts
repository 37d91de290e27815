import { describe, expect, it } from 'vitest';
import { CLIENT_TIMEOUT, NETWORK_ERROR } from '../support/checkout-load.js';
import { auditFaultRun, expectInvariants } from '../support/fault-audit.js';
import { reportFigures, standardFigures } from '../support/fault-figures.js';
import { startFaultRig } from '../support/fault-rig.js';
import { privatePostgresAvailable } from '../support/private-postgres.js';

const available = privatePostgresAvailable();

describe.skipIf(!available)('fault: the shop process is killed', () => {
  it('when the shop is killed (kill -9) mid-load and restarted, then the cut checkouts resume under their keys and no acknowledged order is lost', { timeout: 90_000 }, async () => {
    await using rig = await startFaultRig({ stock: 1_000 });
    const customers = await rig.prepareCustomers(120, (i) => (i % 5 === 4 ? 'tok_declined' : 'tok_visa'));
    // the load outlives the process: its customers retry (same key) through the restart
    const load = rig.startLoad(customers, { perSecond: 15 });
    // kill with a checkout in flight, so it is cut. Checked at each send/answer, not polled: arrivals
    // are 67 ms apart, so on a fast machine (checkouts of ~30 ms) two were almost never in flight at
    // once and a 100 ms poll rarely saw even one, and on a loaded one 30 acknowledgements took longer
    // than a fixed 30 s wait. This lasts as long as the load progresses and fails when it has ended.
    await load.when('30 acknowledged and a checkout in flight', () => load.acknowledged.length >= 30 && load.inFlight() >= 1).catch((err: Error) => {
      throw new Error(rig.crashReason() ?? err.message);
    });
    const killedAt = Date.now();
    await rig.restartShop();
    const readyAgainMs = Date.now() - killedAt;

    const result = await load.finished;
    const audit = await auditFaultRun(rig, result, { settleWithinMs: 45_000 });
    // a request in flight when the process died, whose key later got its 202: a resumed checkout
    const noAnswer = (status: number) => status === NETWORK_ERROR || status === CLIENT_TIMEOUT;
    // `<=`: the kill follows the watched send within microtasks, often in the same millisecond
    const cut = new Set(result.attempts.filter((a) => a.sentAt <= killedAt && noAnswer(a.status)).map((a) => a.key));
    const resumed = result.acknowledged.filter((a) => cut.has(a.key));
    await reportFigures('shop killed and restarted', {
      ...standardFigures(result, audit),
      'kill → /readyz 200 ms': readyAgainMs,
      'checkouts cut by the kill': cut.size,
      'cut checkouts resumed (202)': resumed.length,
      'refused while down': result.attempts.filter((a) => a.sentAt > killedAt && noAnswer(a.status)).length,
    });

    expect(cut.size, 'the kill cut no request: the test proved nothing').toBeGreaterThan(0);
    expect(result.rejected.filter((r) => cut.has(r.key)).map((r) => `${r.status} ${r.code ?? ''}`), 'cut checkouts refused on retry').toEqual([]);
    expectInvariants(rig, result, audit);
  });
});
