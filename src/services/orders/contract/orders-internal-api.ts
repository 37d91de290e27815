import { z } from 'zod';
import { contractId, type InternalApi } from '../../../platform/http/internal-api.js';
import type { OrdersClient } from './orders-client.js';

export const ORDERS_INTERNAL_API: InternalApi<OrdersClient> = {
  service: 'orders',
  methods: { getOrder: { idempotent: true, args: z.tuple([contractId()]) } },
};
