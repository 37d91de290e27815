/** A charge as the provider sees it: minor units, an ISO currency, a token (never card data) and OUR idempotency key. */
export interface ProviderChargeRequest {
  amount: number;
  currency: string;
  token: string;
  /** sent with every attempt, so a retried request can never capture twice */
  idempotencyKey: string;
}

export type ProviderChargeOutcome =
  | { status: 'captured'; reference: string }
  | { status: 'declined'; reason: string };

export interface ProviderRefundRequest {
  /** the provider's charge reference */
  reference: string;
  idempotencyKey: string;
}

export interface ProviderRefundOutcome {
  status: 'refunded';
  /** the provider's refund id, when it told us */
  reference: string | null;
}

/** The provider's circuit as callers see it: closed (call it), open until `retryAt`, or a trial running. */
export type ProviderAvailability = { available: true } | { available: false; retryAt: Date };

export type CircuitStateName = 'closed' | 'open' | 'half_open';

/**
 * The port every payment provider adapter implements. A definite answer (captured, declined,
 * refunded) returns; a maybe throws TransientPaymentError, whose `scope` says whose problem it is
 * (this charge, or the provider as a whole); anything else is a bug and throws PaymentProviderError.
 */
export interface PaymentProvider {
  charge(request: ProviderChargeRequest): Promise<ProviderChargeOutcome>;
  refund(request: ProviderRefundRequest): Promise<ProviderRefundOutcome>;
  /**
   * Whether a charge may be sent now. While the circuit is open this answers at once with the time
   * of the next trial; when that time has come, the trial is the provider's health probe — never a
   * customer's charge — and its result closes or re-opens the circuit.
   */
  availability(): Promise<ProviderAvailability>;
  circuitState(): CircuitStateName;
  /** closes pooled connections on shutdown */
  close(): Promise<void>;
}

/**
 * `charge`: the provider answered about THIS charge (its issuer timed out, its key is locked, it
 * is rate limited): retry this payment later; the provider itself is up.
 * `provider`: the provider did not answer (connection refused or reset, timeout, a 5xx without a
 * charge-level error code) or its circuit is open: the outage is everybody's.
 */
export type TransientScope = 'charge' | 'provider';

/** The provider may or may not have acted; retrying with the same idempotency key is safe. */
export class TransientPaymentError extends Error {
  readonly scope: TransientScope;
  /** set when the circuit is open: no call is worth making before this time */
  readonly retryAt: Date | undefined;
  /** true when no request left this process (open circuit), so no attempt was spent */
  readonly notSent: boolean;

  constructor(message: string, options: { scope: TransientScope; cause?: unknown; retryAt?: Date; notSent?: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'TransientPaymentError';
    this.scope = options.scope;
    this.retryAt = options.retryAt;
    this.notSent = options.notSent ?? false;
  }
}

/** The provider refused the request itself (not the card): retrying the same request will not help. */
export class PaymentProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentProviderError';
  }
}
