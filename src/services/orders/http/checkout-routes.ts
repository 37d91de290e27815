import { CommonErrors } from '../../../platform/http/app-error.js';
import { requirePrincipal } from '../../../platform/http/auth-hook.js';
import type { HttpApp } from '../../../platform/service.js';
import { CheckoutErrors } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import { errorOfResponse, responseOfError, type IdempotentRequest, type WorkOutcome } from '../idempotency/idempotent-request.js';
import type { makePlaceOrder } from '../place-order.js';
import type { makePlaceSaleOrder } from '../place-sale-order.js';
import { IdempotencyClaimLost } from '../storage/order-store.js';
import { acceptedSchema, checkoutBodySchema, idempotencyHeadersSchema } from './order-schemas.js';

export interface CheckoutRouteDeps {
  idempotentRequest: IdempotentRequest;
  placeOrder: ReturnType<typeof makePlaceOrder>;
  /** absent when no flash-sales service runs: a reservation is then unknown */
  placeSaleOrder?: ReturnType<typeof makePlaceSaleOrder>;
}

export function registerCheckoutRoutes(app: HttpApp, { idempotentRequest, placeOrder, placeSaleOrder }: CheckoutRouteDeps) {
  app.post(
    '/v1/checkout',
    {
      // the last class shed: an order placed is what the shop is for
      config: { auth: 'any', criticality: 'critical', rateLimit: 'checkout-per-customer' },
      // runs before schema validation, so a missing key gets its own error code, not a generic one
      preValidation: async (req) => {
        if (!req.headers['idempotency-key']) throw CommonErrors.idempotencyKeyRequired();
      },
      schema: {
        ...operation('orders', {
          operationId: 'placeOrder',
          summary: 'Place an order from a cart or a flash-sale reservation; 202 once it is durable, payment follows asynchronously',
          description: [
            'Send `cartId` or `reservationId`, a shipping address and a payment token (never a card number). The answer is 202 once the order is durable;',
            'the payment is charged afterwards: poll getOrder (`Location`) until `paid` or `payment_failed`.',
            'Requires an `Idempotency-Key`: the same key and body answer the saved response (with `Idempotent-Replayed: true`), the same key with another',
            'body is 422 IDEMPOTENCY_KEY_REUSED, and a request with a key still in progress is 409 IDEMPOTENCY_KEY_IN_PROGRESS (retry).',
            'A cart held by a checkout that has not finished, or is being undone after a failure, is 409 CHECKOUT_CART_BUSY (retry after `Retry-After`: nothing was sold). Limited per customer.',
          ].join(' '),
          errors: [
            CommonErrors.idempotencyKeyRequired(), CheckoutErrors.cartNotFound('0193…'), CheckoutErrors.reservationNotFound('0193…'), CheckoutErrors.cartEmpty('0193…'),
            CommonErrors.idempotencyKeyReused(), CommonErrors.idempotencyKeyInFlight(), CheckoutErrors.cartAlreadyCheckedOut('0193…'), CheckoutErrors.cartBusy('0193…'), CheckoutErrors.itemUnavailable('0193…'),
            CheckoutErrors.insufficientStock('0193…', 1), CheckoutErrors.holdExpired('0193…'), CheckoutErrors.reservationExpired('0193…'), CheckoutErrors.reservationClaimed('0193…'),
            CheckoutErrors.saleEnded('0193…'), CheckoutErrors.reservationHoldExpired('0193…'),
          ],
        }),
        headers: idempotencyHeadersSchema,
        body: checkoutBodySchema,
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req);
      const { customerId } = principal;
      const key = req.headers['idempotency-key'];
      const body = req.body;
      // every order can be confirmed to someone: a registered customer's token carries the account email; a
      // guest (or an admin's API key) must say where the receipt goes. Refused before anything is written.
      const email = body.email ?? principal.email;
      if (!email) throw CommonErrors.validation([{ field: 'body.email', message: 'required: where the order confirmation goes (a guest has no account email)' }]);
      // the cart id is saved with the claim, so it is durable before placeOrder claims the cart: if
      // this request dies and is never retried, the abandoned-checkout sweeper knows what to give back
      const common = { customerId, email, shippingAddress: body.shippingAddress, paymentToken: body.paymentToken };
      // our claim lapsed and a retry took the key over: that retry owns the answer now
      const lost = (err: unknown) => {
        throw err instanceof IdempotencyClaimLost ? CommonErrors.idempotencyKeyInFlight() : err;
      };
      const { cartId, reservationId } = body;
      const answer = await idempotentRequest({ customerId, key }, body, async (claim): Promise<WorkOutcome> => {
        if (reservationId !== undefined) {
          if (!placeSaleOrder) return { response: responseOfError(CheckoutErrors.reservationNotFound(reservationId)), persistence: 'forget' };
          const result = await placeSaleOrder({ ...common, reservationId, idempotency: claim }).catch(lost);
          if (result.ok) return { response: result.response, persistence: 'saved' };
          // someone else's reservation must leave no trace, not even a remembered key
          return { response: responseOfError(CheckoutErrors.fromSale(result)), persistence: result.code === 'FLASH_SALE_RESERVATION_NOT_FOUND' ? 'forget' : 'remember' };
        }
        const result = await placeOrder({ ...common, cartId: cartId!, idempotency: claim }).catch(lost);
        if (result.ok) return { response: result.response, persistence: 'saved' };
        // a cart that is not yours, or one a checkout still holds, changed nothing this key must remember
        const passing = result.code === 'CHECKOUT_CART_NOT_FOUND' || result.code === 'CHECKOUT_CART_BUSY';
        return { response: responseOfError(CheckoutErrors.from(result)), persistence: passing ? 'forget' : 'remember' };
      }, cartId ? { cartId } : {});

      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      const error = errorOfResponse(answer.response);
      if (error) throw error;
      const accepted = acceptedSchema.parse(answer.response.body);
      return reply.code(202).header('location', `/v1/orders/${accepted.orderId}`).send(accepted);
    },
  );
}
