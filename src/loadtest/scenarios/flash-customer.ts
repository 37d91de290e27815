import type { paths } from '../../client/api-types.js';
import { callAs, type CallInitOf, type Method, type PathsWith } from '../api-operations.js';
import type { VirtualUser } from '../scenario.js';

/** how one virtual customer's visit ended */
export type FlashOutcome = 'paid' | 'declined' | 'sold_out' | 'unresolved';

/** everything the sale's checks need from one customer, in the runner's clock (performance.now) */
export interface FlashCustomer {
  n: number;
  position?: number;
  /** when the customer first saw `admitted` (request end) */
  admittedAtMs?: number;
  /** units this customer got reservations for (201s, replays not counted twice) */
  reservedUnits: number;
  /** tried one unit past the limit */
  probedLimit: boolean;
  /** units past the limit that the shop accepted (must stay 0) */
  overLimitAccepted: number;
  orders: Array<{ orderId: string; quantity: number; paymentToken: string; status: string; accessToken: string }>;
  outcome: FlashOutcome;
  /** why a customer ended unresolved: the step and status that stopped it */
  stoppedAt?: string;
}

/** poll answers kept for the FIFO check: a `waiting` answer proves frontier < position at some instant in [startMs, endMs] */
export interface PollObservation {
  position: number;
  startMs: number;
  endMs: number;
  admitted: boolean;
}

export interface FlashLedger {
  customers: FlashCustomer[];
  polls: PollObservation[];
}

export const FLASH_STEPS = ['auth.guest', 'auth.register', 'queue.join', 'queue.poll', 'reserve', 'checkout', 'order.view'] as const;

/** where flash orders ship, in the shape checkout takes */
const SHIPPING_ADDRESS: paths['/v1/checkout']['post']['requestBody']['content']['application/json']['shippingAddress'] = { name: 'Flash Load Test', line1: '1 Benchmark Street', city: 'Testville', postalCode: '10115', country: 'DE' };
const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);
const retryAfterOf = (answer: { retryAfterMs?: number } | undefined, fallbackMs: number) => {
  const ms = answer?.retryAfterMs;
  return typeof ms === 'number' && ms >= 0 ? ms : fallbackMs;
};

export interface FlashPlan {
  saleId: string;
  limit: number;
  register: boolean;
  decline: boolean;
  /** tries one more unit than the limit allows, to prove the limit holds */
  probeLimit: boolean;
  /** how long a customer told sold out keeps checking back before leaving */
  soldOutPatienceMs: number;
}

/**
 * One shopper in a flash sale: identify → join → poll exactly as told → reserve with the admission
 * token → check out → follow the order to a final status. A declined card ends the visit (the unit
 * goes back to the sale for someone else); sold out ends it once it is still sold out after the customer's patience.
 */
export async function flashCustomer(vu: VirtualUser, plan: FlashPlan, ledger: FlashLedger): Promise<void> {
  const me: FlashCustomer = { n: vu.n, reservedUnits: 0, probedLimit: false, overLimitAccepted: 0, orders: [], outcome: 'unresolved' };
  ledger.customers.push(me);
  const stop = (step: string, status: number) => void (me.stoppedAt = `${step} ${status}`);
  // a request lost below HTTP (timeout, reset) is sent again like a real client would: joins and
  // reservations and checkouts are idempotent (same ticket, same key), reads are reads. Each loss
  // still counts as an error of its step.
  const send = async <M extends Method, P extends PathsWith<M>>(step: string, method: M, path: P, init: CallInitOf<M, P>) => {
    for (let attempt = 1; ; attempt++) {
      const res = await callAs(vu, step, method, path, init);
      if (res.status !== 0 || attempt >= 4 || !(await vu.wait(500 * attempt))) return res;
    }
  };
  const sale = { id: plan.saleId };

  const email = `flash-${vu.runId}-u${vu.n}@example.com`;
  const who = plan.register
    ? await callAs(vu, 'auth.register', 'POST', '/v1/auth/register', { body: { email, password: `flash-${vu.runId}-secret`, name: `Flash ${vu.n}` }, expect: [201] })
    : await send('auth.guest', 'POST', '/v1/auth/guest', { expect: [201] });
  const token = who.data?.accessToken;
  if (!who.ok || !token) return stop('auth', who.status);
  const auth = { authorization: `Bearer ${token}` };

  let ticket: string | undefined;
  let firstPollAfterMs = 0;
  for (let attempt = 0; !ticket; attempt++) {
    const joined = await send('queue.join', 'POST', '/v1/flash-sales/{id}/queue', { path: sale, headers: auth, body: {}, expect: [200, 201, 409, 503] });
    if ((joined.status === 201 || joined.status === 200) && joined.data?.ticket) {
      ticket = joined.data.ticket;
      me.position = joined.data.position;
      firstPollAfterMs = retryAfterOf(joined.data, 0);
    } else if (joined.status === 409 && /SOLD_OUT|NOT_LIVE|ENDED/.test(String(joined.problem?.code))) {
      me.outcome = 'sold_out';
      return;
    } else if (joined.status === 503 && attempt < 20) {
      if (!(await vu.wait(1_000))) return stop('queue.join', 503);
    } else return stop('queue.join', joined.status);
  }
  // the join says when to poll first, like every poll answer: polling at once would spend the budget
  if (!(await vu.wait(firstPollAfterMs))) return stop('queue.join', 201);

  // the first sold-out answer starts the customer's patience; one told later still sold out ends the visit
  let soldOutSince: number | undefined;
  const soldOut = (now: number): boolean => {
    soldOutSince ??= now;
    if (now - soldOutSince < plan.soldOutPatienceMs) return false;
    me.outcome = 'sold_out';
    return true;
  };
  let admission: string | undefined;
  let reservationKey = `flash-${vu.runId}-u${vu.n}-r1`;
  for (;;) {
    while (!admission) {
      const startMs = performance.now();
      const polled = await send('queue.poll', 'GET', '/v1/flash-sales/{id}/queue/{ticket}', { path: { ...sale, ticket }, headers: auth, expect: [200, 503] });
      if (polled.status === 503) {
        if (!(await vu.wait(1_000))) return stop('queue.poll', 503);
        continue;
      }
      const answer = polled.data;
      if (polled.status !== 200 || !answer) return stop('queue.poll', polled.status);
      me.position ??= answer.position;
      const observed = { position: me.position ?? Number(answer.position), startMs, endMs: performance.now() };
      if (answer.state === 'sold_out') {
        // sold out can still turn (a payment fails, a lease ends): check back once as told, then leave
        if (soldOut(performance.now())) return;
        if (!(await vu.wait(retryAfterOf(answer, 15_000)))) return stop('queue.poll', polled.status);
        continue;
      }
      if (answer.state === 'admitted' && answer.admissionToken) {
        ledger.polls.push({ ...observed, admitted: true });
        me.admittedAtMs ??= observed.endMs;
        admission = answer.admissionToken;
        break;
      }
      ledger.polls.push({ ...observed, admitted: false });
      if (!(await vu.wait(retryAfterOf(answer, 1_000)))) return stop('queue.poll', polled.status);
    }

    const quantity = plan.limit > 1 && vu.random() < 0.3 ? plan.limit : 1;
    const reserved = await send('reserve', 'POST', '/v1/flash-sales/{id}/reservations', {
      path: sale,
      headers: { ...auth, 'admission-token': admission, 'idempotency-key': reservationKey },
      body: { quantity },
      expect: [201, 409, 429, 403, 503],
    });
    const code = String(reserved.problem?.code);
    if (reserved.status === 403 || reserved.status === 503) {
      // admission lapsed or counters being rebuilt: back in line (the ticket keeps its place)
      admission = undefined;
      reservationKey = `${reservationKey}+`;
      if (!(await vu.wait(reserved.status === 503 ? 1_000 : 0))) return stop('reserve', reserved.status);
      continue;
    }
    if (reserved.status === 409 && code === 'FLASH_SALE_SOLD_OUT') {
      // every unit is held by someone checking out right now: ask the waiting room again in a moment
      if (soldOut(performance.now())) return;
      admission = undefined;
      reservationKey = `${reservationKey}+`;
      if (!(await vu.wait(1_000))) return stop('reserve', reserved.status);
      continue;
    }
    const reservationId = reserved.data?.reservationId;
    if (reserved.status !== 201 || !reservationId) return stop(`reserve ${code}`, reserved.status);
    me.reservedUnits += quantity;

    if (plan.probeLimit) {
      me.probedLimit = true;
      // one unit past the limit with a fresh key: the shop must refuse it (429), or answer sold out
      const extra = await callAs(vu, 'reserve', 'POST', '/v1/flash-sales/{id}/reservations', {
        path: sale,
        headers: { ...auth, 'admission-token': admission, 'idempotency-key': `${reservationKey}-probe` },
        body: { quantity: plan.limit - quantity + 1 },
        expect: [409, 429, 403],
      });
      if (extra.status === 201) me.overLimitAccepted += plan.limit - quantity + 1;
    }

    const paymentToken = plan.decline ? 'tok_declined' : 'tok_visa';
    const placed = await send('checkout', 'POST', '/v1/checkout', {
      headers: { ...auth, 'idempotency-key': `flash-${vu.runId}-u${vu.n}-checkout` },
      body: { reservationId, ...(plan.register ? {} : { email }), shippingAddress: SHIPPING_ADDRESS, paymentToken },
      expect: [202],
    });
    const orderId = placed.data?.orderId;
    if (placed.status !== 202 || !orderId) return stop('checkout', placed.status);
    const order = { orderId, quantity, paymentToken, status: 'pending', accessToken: token };
    me.orders.push(order);

    for (let everyMs = 200; !FINAL.has(order.status); everyMs = Math.min(everyMs * 1.5, 2_000)) {
      if (!(await vu.wait(everyMs))) return stop('order.view', 0);
      const seen = await send('order.view', 'GET', '/v1/orders/{id}', { path: { id: orderId }, headers: auth });
      if (seen.ok && seen.data) order.status = seen.data.status;
    }
    me.outcome = order.status === 'paid' || order.status === 'fulfilled' ? 'paid' : 'declined';
    return;
  }
}
