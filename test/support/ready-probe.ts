import { CLIENT_TIMEOUT, NETWORK_ERROR } from './checkout-load.js';

export interface ProbeSample {
  sentAt: number;
  answeredAt: number;
  /** the HTTP status, NETWORK_ERROR or CLIENT_TIMEOUT */
  status: number;
}

export interface ReadyProbe extends AsyncDisposable {
  samples: readonly ProbeSample[];
  /** the first answer with this status sent at or after `since` */
  firstSince(since: number, status: number): ProbeSample | undefined;
  stop(): Promise<ProbeSample[]>;
}

/**
 * Asks /readyz back to back (one in flight, `intervalMs` apart), like a load balancer's health check,
 * and keeps every answer: when it turned 503 and when it came back are the figures of an outage.
 */
export function startReadyProbe(baseUrl: string, { intervalMs = 100, timeoutMs = 2_000 } = {}): ReadyProbe {
  const samples: ProbeSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const sentAt = Date.now();
      let status: number;
      try {
        const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        status = res.status;
      } catch (err) {
        status = (err as Error).name === 'TimeoutError' ? CLIENT_TIMEOUT : NETWORK_ERROR;
      }
      samples.push({ sentAt, answeredAt: Date.now(), status });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    samples,
    firstSince: (since, status) => samples.find((s) => s.sentAt >= since && s.status === status),
    async stop() {
      running = false;
      await loop;
      return samples;
    },
    async [Symbol.asyncDispose]() {
      running = false;
      await loop;
    },
  };
}
