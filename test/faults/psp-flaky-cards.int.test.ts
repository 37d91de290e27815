import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../support/checkout-load.js';
import { auditFaultRun, expectInvariants, percentile, placedToPaid } from '../support/fault-audit.js';
import { reportFigures, standardFigures } from '../support/fault-figures.js';
import { startFaultRig } from '../support/fault-rig.js';
import { privatePostgresAvailable } from '../support/private-postgres.js';

const available = privatePostgresAvailable();

const combine = (a: LoadResult, b: LoadResult): LoadResult => ({
  startedAt: a.startedAt,
  endedAt: b.endedAt,
  attempts: [...a.attempts, ...b.attempts],
  acknowledged: [...a.acknowledged, ...b.acknowledged],
  rejected: [...a.rejected, ...b.rejected],
  gaveUp: [...a.gaveUp, ...b.gaveUp],
});

describe.skipIf(!available)('fault: half the cards are flaky', () => {
  it('when half the orders pay with tok_flaky, then every order is paid and tok_visa orders settle as fast as without them', { timeout: 90_000 }, async () => {
    await using rig = await startFaultRig({ stock: 1_000 });

    // the yardstick: the same shop, the same rate, only healthy cards
    const baselineLoad = await rig.startLoad(await rig.prepareCustomers(30, () => 'tok_visa'), { perSecond: 15 }).finished;
    const baseline = await auditFaultRun(rig, baselineLoad, { settleWithinMs: 20_000 });
    const baselineP99 = percentile(placedToPaid(baseline.settled), 99);
    await reportFigures('psp healthy (baseline)', standardFigures(baselineLoad, baseline));
    expect(baselineP99, 'no baseline order was paid').toBeDefined();

    const mixLoad = await rig.startLoad(await rig.prepareCustomers(80, (i) => (i % 2 === 0 ? 'tok_flaky' : 'tok_visa')), { perSecond: 15 }).finished;
    // both loads in one audit: stock and captures must add up over the whole run
    const whole = combine(baselineLoad, mixLoad);
    const audit = await auditFaultRun(rig, whole, { settleWithinMs: 45_000 });
    const mixKeys = new Set(mixLoad.acknowledged.map((a) => a.key));
    const mix = audit.settled.filter((o) => mixKeys.has(o.key));
    const healthy = placedToPaid(mix.filter((o) => o.paymentToken === 'tok_visa'));
    const flaky = placedToPaid(mix.filter((o) => o.paymentToken === 'tok_flaky'));
    await reportFigures('psp 50% tok_flaky', {
      ...standardFigures(mixLoad, { ...audit, settled: mix }),
      'tok_visa placed→paid p50 ms': percentile(healthy, 50),
      'tok_visa placed→paid p99 ms': percentile(healthy, 99),
      'tok_flaky placed→paid p50 ms': percentile(flaky, 50),
      'tok_flaky placed→paid p99 ms': percentile(flaky, 99),
      'baseline placed→paid p99 ms': baselineP99,
    });

    expectInvariants(rig, whole, audit);
    expect(mix.filter((o) => o.status !== 'paid').map((o) => `${o.paymentToken} ${o.status}`), 'tok_flaky captures on its third try; nothing may fail').toEqual([]);
    expect(healthy.length, 'no tok_visa order was paid').toBeGreaterThan(0);
    // "as fast as without them": a flaky card's retries must not hold up anyone else's payment. A starved
    // healthy payment would queue behind the flaky cards' retries; the slack below is for a CI machine
    // running other suites beside this one (a run missed +1 s by 130 ms), not for a retry queue. The exact
    // property — every tok_visa captured at its first attempt — is payments-worker.int.test.ts's.
    expect(percentile(healthy, 99)!, `tok_visa p99 with flaky cards around vs ${baselineP99} ms without`).toBeLessThanOrEqual(Math.max(2 * baselineP99!, baselineP99! + 2_000));
  });
});
