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

/**
 * The port every payment provider adapter implements. A definite answer (captured, declined,
 * refunded) returns; a maybe (5xx, timeout, open circuit) throws TransientPaymentError so the
 * caller retries later with the same idempotency key; anything else is a bug and throws
 * PaymentProviderError.
 */
export interface PaymentProvider {
  charge(request: ProviderChargeRequest): Promise<ProviderChargeOutcome>;
  refund(request: ProviderRefundRequest): Promise<ProviderRefundOutcome>;
  /** closes pooled connections on shutdown */
  close(): Promise<void>;
}

/** The provider may or may not have acted; retrying with the same idempotency key is safe. */
export class TransientPaymentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientPaymentError';
  }
}

/** The provider refused the request itself (not the card): retrying the same request will not help. */
export class PaymentProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentProviderError';
  }
}
