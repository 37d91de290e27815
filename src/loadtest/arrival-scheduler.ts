import { arrivalTime, expectedArrivals, totalDuration, type Phase } from './phases.js';

export interface ArrivalSchedulerOptions {
  phases: readonly Phase[];
  /** arrivals due while this many flows are running are dropped, not queued: it bounds the generator's memory */
  maxInFlight: number;
  /** runs one arrival's flow (arrival numbers start at 1); should not throw, failures go to `onFlowError` */
  startArrival: (n: number) => Promise<void>;
  /** every due arrival, whether it started and how late (ms after its due time) */
  onArrival?: (started: boolean, lagMs: number) => void;
  onFlowError?: (error: unknown) => void;
  tickMs?: number;
  now?: () => number;
}

/**
 * Open-model arrivals: the n-th arrival is due at the time the rate profile's integral reaches n, and
 * it starts then whether or not earlier arrivals have been answered. A slow server therefore sees
 * more concurrent flows, not fewer requests (a closed model would hide the slowdown by sending less).
 * A late tick starts the overdue arrivals at once and records their lag.
 */
export class ArrivalScheduler {
  private readonly running = new Set<Promise<void>>();
  private launched = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private resolveFinished: () => void = () => {};
  /** resolves when the schedule is over (flows may still be running) */
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));
  private readonly now: () => number;
  private readonly durationSec: number;

  constructor(private readonly options: ArrivalSchedulerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.durationSec = totalDuration(options.phases);
  }

  get inFlight(): number {
    return this.running.size;
  }

  get arrivalsDue(): number {
    return this.launched;
  }

  /** seconds since start() */
  elapsed(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  start(): void {
    this.startedAt = this.now();
    this.tick();
  }

  /** ends the schedule early (Ctrl-C); running flows continue until `idle()` */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.resolveFinished();
  }

  /** resolves when every started flow has finished, or false after `timeoutMs` */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - this.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(this.running), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
    return true;
  }

  private tick = (): void => {
    if (this.stopped) return;
    // one clock read per tick: reading it again for the end test could pass the end after computing what
    // was due just before it, and the last arrival would never start
    const elapsed = this.elapsed();
    const t = Math.min(elapsed, this.durationSec);
    const due = Math.floor(expectedArrivals(this.options.phases, t) + 1e-9);
    while (this.launched < due) this.launch(this.launched + 1);
    if (elapsed >= this.durationSec) {
      this.stopped = true;
      this.resolveFinished();
      return;
    }
    this.timer = setTimeout(this.tick, this.options.tickMs ?? 5);
  };

  private launch(n: number): void {
    this.launched = n;
    const lagMs = this.now() - this.startedAt - arrivalTime(this.options.phases, n) * 1000;
    if (this.running.size >= this.options.maxInFlight) {
      this.options.onArrival?.(false, lagMs);
      return;
    }
    this.options.onArrival?.(true, lagMs);
    // the async wrapper turns a synchronous throw into a rejection, so one bad flow cannot stop the schedule
    const flow = (async () => this.options.startArrival(n))()
      .catch((error: unknown) => this.options.onFlowError?.(error))
      .finally(() => this.running.delete(flow));
    this.running.add(flow);
  }
}
