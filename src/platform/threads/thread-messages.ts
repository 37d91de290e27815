import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** what a background thread and the process that started it say to each other (background-thread.ts, serve-thread.ts) */
export type ThreadMessage =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'metrics-request'; id: number }
  | { type: 'metrics'; id: number; metrics: Array<MetricObjectWithValues<MetricValue<string>>> };
