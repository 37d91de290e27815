/**
 * How much a route matters when the process cannot serve everything, lowest first: under pressure `low`
 * (search, lists, /metrics, /ops) is shed first and `critical` (checkout, payment webhooks, flash-sale
 * reservations, probes) last.
 */
export const CRITICALITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** what a route without a declared criticality gets */
export const DEFAULT_CRITICALITY: Criticality = 'normal';
