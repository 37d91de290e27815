import type { DegradationCheck } from '../../platform/overload/degradation.js';
import type { AvailabilityReader } from './product-view.js';

/**
 * Shoppers' stock under the `stock-counts` switch: 1 (in stock) or 0 (sold out) instead of the count. Pages then
 * stay identical while stock moves, so conditional GETs keep answering 304 and caches keep their entries.
 */
export const inStockOrOut = (reader: AvailabilityReader, degradation: DegradationCheck): AvailabilityReader => ({
  async available(ids) {
    const counts = await reader.available(ids);
    if (!degradation.isDegraded('stock-counts')) return counts;
    return new Map([...counts].map(([id, n]) => [id, n > 0 ? 1 : 0]));
  },
});
