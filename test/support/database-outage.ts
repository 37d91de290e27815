import { expect } from 'vitest';
import { attemptsBetween, auditFaultRun, type FaultAudit } from './fault-audit.js';
import { standardFigures, type Figures } from './fault-figures.js';
import { DATABASE_DEADLINES, type FaultRig } from './fault-rig.js';
import type { LoadResult } from './checkout-load.js';
import type { ProbeSample } from './ready-probe.js';

/**
 * The longest a checkout may wait on an outage, from the deadlines the rig configures: a request
 * waiting for a connection (connect deadline), then a statement (query deadline + the driver's 1 s
 * grace, docs/database-faults.md), plus 1.5 s for a busy 2-core machine. Well under the 10 s outage,
 * so a request that waits the outage out fails the test.
 */
export const ANSWER_DEADLINE_MS = DATABASE_DEADLINES.connectMs + DATABASE_DEADLINES.queryMs + 1_000 + 1_500;

export interface OutageRun {
  load: LoadResult;
  audit: FaultAudit;
  probes: ProbeSample[];
  /** the fault began / the fault was lifted (the call returned: the database accepts work again) */
  outage: { start: number; end: number; restored: number };
  firstUnready: ProbeSample;
  firstReadyAgain: ProbeSample;
  figures: Figures;
}

export interface OutageScenario {
  /** break the database (stop it, freeze it) */
  begin(): Promise<void>;
  /** bring it back */
  end(): Promise<void>;
  outageMs?: number;
}

/**
 * Checkout load at 8/s; after 15 orders the database breaks for `outageMs`, then comes back. The
 * load keeps arriving throughout and each customer retries (same key) until it has an answer.
 */
export async function checkoutThroughDatabaseOutage(rig: FaultRig, { begin, end, outageMs = 10_000 }: OutageScenario): Promise<OutageRun> {
  // one in five declines, so failed payments release stock under the fault too
  const customers = await rig.prepareCustomers(100, (i) => (i % 5 === 4 ? 'tok_declined' : 'tok_visa'));
  const probe = rig.startProbe();
  const load = rig.startLoad(customers, { perSecond: 8 });
  await rig.waitFor('15 acknowledged checkouts', () => load.acknowledged.length >= 15);

  const start = Date.now();
  await begin();
  rig.mark('database out');
  const firstUnready = await rig.waitFor('/readyz 503 during the outage', () => probe.firstSince(start, 503), { timeoutMs: 5_000 });
  // the fault lasts its full length whatever the shop does: this is the scenario, not a wait for it
  await new Promise((r) => setTimeout(r, Math.max(0, start + outageMs - Date.now())));
  const endAt = Date.now();
  await end();
  const restored = Date.now();
  rig.mark('database back');
  const firstReadyAgain = await rig.waitFor('/readyz 200 after the outage', () => probe.firstSince(restored, 200), { timeoutMs: 20_000 });
  rig.mark('/readyz 200 again');

  const result = await load.finished;
  const probes = await probe.stop();
  const audit = await auditFaultRun(rig, result, { settleWithinMs: 30_000, extraStatuses: probes.map((s) => s.status) });
  const during = attemptsBetween(result.attempts, start, endAt);
  const answeredDuring = result.attempts.filter((a) => a.answeredAt >= start && a.answeredAt < endAt);
  return {
    load: result,
    audit,
    probes,
    outage: { start, end: endAt, restored },
    firstUnready,
    firstReadyAgain,
    figures: {
      ...standardFigures(result, audit),
      'unready after ms': firstUnready.answeredAt - start,
      'recovery ms (restored → /readyz 200)': firstReadyAgain.answeredAt - restored,
      'checkouts sent in outage': during.length,
      '503 answered in outage': answeredDuring.filter((a) => a.status === 503).length,
      'other answers in outage': answeredDuring.filter((a) => a.status !== 503).length,
      'longest wait on the outage ms': Math.max(0, ...result.attempts.map((a) => waitedOnOutage(a, start, endAt))),
    },
  };
}

type Timed = { status: number; code?: string; answeredAt: number; sentAt: number };

/** how long a request was in flight while the database was out */
const waitedOnOutage = (a: Timed, start: number, end: number) => Math.max(0, Math.min(a.answeredAt, end) - Math.max(a.sentAt, start));

/** an attempt, placed on the outage's clock, for a failure message */
const describe = (start: number, end: number) => (a: Timed) =>
  `${a.status}${a.code ? ` ${a.code}` : ''}: sent at ${a.sentAt - start} ms, answered after ${a.answeredAt - a.sentAt} ms, ${waitedOnOutage(a, start, end)} ms of it while the database was out`;

/** While the database is out: /readyz 503, checkouts 503 problem+json with Retry-After, no hang. */
export function expectOutageAnswers(run: OutageRun) {
  const { start, end } = run.outage;
  const summary = describe(start, end);
  // probes answered while it was out; one sent just before the end may rightly answer 200 after it
  const unready = run.probes.filter((p) => p.answeredAt >= run.firstUnready.answeredAt && p.answeredAt < end);
  expect(unready.filter((p) => p.status !== 503).map((p) => p.status), '/readyz answers other than 503 during the outage').toEqual([]);

  // what the shop said while the database was out (a request sent then but answered after it came
  // back is an ordinary answer, e.g. 409 while an earlier attempt's key is still locked)
  const answeredInOutage = run.load.attempts.filter((a) => a.answeredAt >= start && a.answeredAt < end);
  expect(answeredInOutage.filter((a) => a.status === 503).length, 'no checkout met the outage: the test proved nothing').toBeGreaterThan(0);
  // a 202 can only be a checkout that committed just before the fault took hold
  expect(answeredInOutage.filter((a) => a.status !== 503 && a.status !== 202).map(summary), 'checkout answers other than 503 during the outage').toEqual([]);
  expect(run.load.attempts.filter((a) => a.status === 503 && !(a.problemJson && a.retryAfter)).map(summary), '503s without problem+json and Retry-After').toEqual([]);
  // no request waits on the outage longer than the deadline: time spent before it began, or served
  // after it ended (the burst of retries on recovery is load, not a hang), is not waiting on it
  const slow = run.load.attempts.filter((a) => waitedOnOutage(a, start, end) > ANSWER_DEADLINE_MS);
  expect(slow.map(summary), `checkouts the outage touched answered after more than ${ANSWER_DEADLINE_MS} ms (or not at all)`).toEqual([]);
}
