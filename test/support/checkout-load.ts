import { randomUUID } from 'node:crypto';
import { ADDRESS } from './api.js';

/** A shopper ready to check out: a token and a cart holding one unit. */
export interface LoadCustomer {
  token: string;
  cartId: string;
  paymentToken: string;
}

/** Status of an attempt that got no HTTP answer. */
export const NETWORK_ERROR = 0;
export const CLIENT_TIMEOUT = -1;

export interface Attempt {
  customer: number;
  key: string;
  sentAt: number;
  answeredAt: number;
  /** the HTTP status, NETWORK_ERROR (refused, reset) or CLIENT_TIMEOUT */
  status: number;
  code?: string;
  /** the order id of a 202 */
  orderId?: string;
  retryAfter: string | null;
  problemJson: boolean;
}

export interface Acknowledged {
  customer: number;
  key: string;
  orderId: string;
  paymentToken: string;
  acknowledgedAt: number;
}

export interface Unanswered {
  customer: number;
  key: string;
  /** the last status seen: a 4xx that ended the checkout, or whatever came before giving up */
  status: number;
  code?: string;
}

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  attempts: Attempt[];
  acknowledged: Acknowledged[];
  /** ended by a definitive 4xx (out of stock, hold expired…) */
  rejected: Unanswered[];
  /** still without a definitive answer when giveUpAfterMs ran out: their hold may stay until the sweep */
  gaveUp: Unanswered[];
}

export interface CheckoutLoad extends AsyncDisposable {
  /** live views, for waiting until the load reached a point before injecting a fault */
  attempts: readonly Attempt[];
  acknowledged: readonly Acknowledged[];
  /** checkout requests sent and not yet answered */
  inFlight(): number;
  /**
   * Resolves the moment `ready()` holds, checked each time a request is sent or answered (the only
   * moments the load's state changes), so a short window, like a request in flight on a fast machine,
   * is not missed between two polls. Rejects once the load has ended without it: the wait lasts as
   * long as the load makes progress, on a slow machine or a fast one, and no fixed time more.
   */
  when(what: string, ready: () => boolean): Promise<void>;
  /** every customer has checked out or given up */
  finished: Promise<LoadResult>;
  /** start no new checkout and no retry; resolves once the last request is back (a failed test's cleanup) */
  stop(): Promise<LoadResult>;
}

export interface CheckoutLoadOptions {
  /** new checkouts started per second (each customer checks out once) */
  perSecond: number;
  /** an attempt without an answer by then counts as CLIENT_TIMEOUT and is retried */
  requestTimeoutMs?: number;
  /** a customer retrying for longer than this gives up */
  giveUpAfterMs?: number;
  /** checked before every retry and every new customer: true stops the load (a crashed shop) */
  stopWhen?: () => boolean;
}

// what a careful client does with an answer: retry the same key, or stop
const RETRYABLE = new Set([NETWORK_ERROR, CLIENT_TIMEOUT, 429, 500, 502, 503, 504]);
const retryableConflict = (code?: string) => code === 'IDEMPOTENCY_KEY_IN_PROGRESS' || code === 'CHECKOUT_CART_BUSY';

const backoffMs = (retryAfter: string | null) => {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  // honour Retry-After, but keep the test moving: between 0.2 s and 2 s
  const base = Number.isFinite(seconds) ? Math.min(2_000, Math.max(200, seconds * 1_000)) : 300;
  // plus jitter, as a careful client adds, so customers turned away together do not all return together
  return base * (1 + Math.random() / 2);
};

/**
 * Open-model checkout load: customer i starts at i / perSecond seconds, whatever the shop's state,
 * and retries with the SAME Idempotency-Key until it gets a definitive answer — like a real client,
 * which is what lets a checkout cut by a fault resume under its original order id.
 */
export function startCheckoutLoad(baseUrl: string, customers: LoadCustomer[], options: CheckoutLoadOptions): CheckoutLoad {
  const { perSecond, requestTimeoutMs = 20_000, giveUpAfterMs = 45_000, stopWhen = () => false } = options;
  const attempts: Attempt[] = [];
  const acknowledged: Acknowledged[] = [];
  const rejected: Unanswered[] = [];
  const gaveUp: Unanswered[] = [];
  const startedAt = Date.now();
  let inFlight = 0;
  let stopped = false;
  const watchers = new Set<{ ready: () => boolean; resolve: () => void }>();
  const notify = () => {
    for (const w of watchers) {
      if (!w.ready()) continue;
      watchers.delete(w);
      w.resolve();
    }
  };

  const attempt = async (customer: number, key: string): Promise<Attempt> => {
    const c = customers[customer]!;
    const sentAt = Date.now();
    const base = { customer, key, sentAt, retryAfter: null, problemJson: false };
    inFlight++;
    notify();
    try {
      const res = await fetch(`${baseUrl}/v1/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, 'idempotency-key': key },
        body: JSON.stringify({ cartId: c.cartId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken: c.paymentToken }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.text();
      let body: { code?: string; orderId?: string } = {};
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: the status says enough */
      }
      return {
        ...base,
        answeredAt: Date.now(),
        status: res.status,
        ...(body.code ? { code: body.code } : {}),
        ...(body.orderId ? { orderId: body.orderId } : {}),
        retryAfter: res.headers.get('retry-after'),
        problemJson: (res.headers.get('content-type') ?? '').startsWith('application/problem+json'),
      };
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return { ...base, answeredAt: Date.now(), status: timedOut ? CLIENT_TIMEOUT : NETWORK_ERROR };
    } finally {
      inFlight--;
    }
  };

  const checkout = async (customer: number) => {
    const key = randomUUID();
    const c = customers[customer]!;
    const first = Date.now();
    for (;;) {
      const a = await attempt(customer, key);
      attempts.push(a);
      if (a.status === 202 && a.orderId) {
        acknowledged.push({ customer, key, orderId: a.orderId, paymentToken: c.paymentToken, acknowledgedAt: a.answeredAt });
        notify();
        return;
      }
      notify();
      const retry = RETRYABLE.has(a.status) || (a.status === 409 && retryableConflict(a.code));
      const outcome = { customer, key, status: a.status, ...(a.code ? { code: a.code } : {}) };
      if (!retry) return void rejected.push(outcome);
      if (stopped || stopWhen() || Date.now() - first > giveUpAfterMs) return void gaveUp.push(outcome);
      await new Promise((r) => setTimeout(r, backoffMs(a.retryAfter)));
    }
  };

  const runs: Promise<void>[] = [];
  const finished = (async () => {
    for (let i = 0; i < customers.length && !stopped && !stopWhen(); i++) {
      const due = startedAt + (i * 1_000) / perSecond;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      runs.push(checkout(i));
    }
    await Promise.all(runs);
    return { startedAt, endedAt: Date.now(), attempts, acknowledged, rejected, gaveUp };
  })();

  const stop = () => {
    stopped = true;
    return finished;
  };
  const when = (what: string, ready: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      if (ready()) return resolve();
      const watcher = { ready, resolve };
      watchers.add(watcher);
      const ended = () => {
        if (!watchers.delete(watcher)) return;
        reject(new Error(`the load ended (${acknowledged.length} acknowledged, ${rejected.length} rejected, ${gaveUp.length} gave up, ${attempts.length} attempts) before ${what}`));
      };
      finished.then(ended, ended);
    });
  return { attempts, acknowledged, inFlight: () => inFlight, when, finished, stop, [Symbol.asyncDispose]: async () => void (await stop()) };
}
