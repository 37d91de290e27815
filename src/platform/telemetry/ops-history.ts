import type { OpsSummary, OpsSummarySource } from './ops-summary.js';

export interface OpsHistory {
  /** oldest first: what /ops draws on open, so a page opened after a spike still shows it */
  samples(): OpsSummary[];
  stop(): void;
}

/** a sample keeps the busiest route groups only: the page draws seven, and memory stays bounded */
const KEPT_GROUPS = 8;

/**
 * Samples the ops summary every `intervalMs` into a ring buffer of `capacity` samples (15 minutes at 1 s by
 * default, about 1 MB), whether or not anyone watches. Viewers polling the summary share these samples.
 */
export function createOpsHistory(source: OpsSummarySource, { capacity = 900, intervalMs = 1_000 } = {}): OpsHistory {
  const ring: Array<OpsSummary | undefined> = new Array<OpsSummary | undefined>(capacity);
  let next = 0;
  let busy = false;
  // the first summary is the baseline every later rate is measured from: taken now, at start, so traffic
  // before the first tick (a purchase in the first second) shows in the first sample instead of being the baseline
  source.sample().catch(() => {});
  const timer = setInterval(() => {
    if (busy) return; // a slow registry read must not stack samples
    busy = true;
    source
      .sample()
      .then((s) => {
        ring[next] = { ...s, routes: s.routes.slice(0, KEPT_GROUPS) };
        next = (next + 1) % capacity;
      })
      .catch(() => {})
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();

  return {
    samples() {
      const ordered = [...ring.slice(next), ...ring.slice(0, next)].filter((s): s is OpsSummary => s !== undefined);
      // one sample can be stored twice when two ticks shared it (the summary dedups within its interval)
      return ordered.filter((s, i) => i === 0 || s.at !== ordered[i - 1]!.at);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
