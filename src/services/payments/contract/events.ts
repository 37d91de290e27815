import type { Money } from '../../../platform/money.js';

export interface PaymentCaptured { orderId: string; paymentId: string; amount: Money }
export interface PaymentFailed { orderId: string; paymentId: string; reason: string }
export interface PaymentRefunded { orderId: string; paymentId: string; amount: Money; reason?: string }
export const PaymentEvents = { captured: 'payment.captured', failed: 'payment.failed', refunded: 'payment.refunded' } as const;
