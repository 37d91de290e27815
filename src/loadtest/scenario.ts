import type { HttpRequest, HttpResponse } from './http-client.js';
import type { Phase } from './phases.js';

/** Load-profile and flow knobs; each scenario applies its own defaults to what is unset. */
export interface ScenarioOptions {
  /** arrivals per second for steady scenarios (browse, funnel) */
  rps?: number;
  /** seconds of steady load; for spike, the baseline before the ramp */
  durationSec?: number;
  baselineRps?: number;
  multiplier?: number;
  rampSec?: number;
  holdSec?: number;
  recoverySec?: number;
  /** mean pause between one visitor's steps, ms; 0 for none */
  thinkTimeMs?: number;
  /** funnel: share of visitors who put something in a cart */
  cartRatio?: number;
  /** funnel: share of carts that check out */
  checkoutRatio?: number;
  /** share of buyers who register instead of shopping as a guest */
  registerRatio?: number;
  /** share of checkouts paying with tok_declined */
  declineRatio?: number;
  /** spike: share of arrivals that buy instead of browsing */
  buyRatio?: number;
  /** how many variants buyers choose from (fewer = more contention on the same stock) */
  hotVariants?: number;
  /** how long the checks wait for acknowledged orders to reach a final status, ms */
  settleTimeoutMs?: number;
  /** flash: virtual customers (arrivals) in the run */
  customers?: number;
  /** flash: units in the sale */
  stock?: number;
  /** flash: the sale's per-customer limit */
  perCustomerLimit?: number;
  /** flash: the sale's admission rate, customers per second */
  admissionRatePerSecond?: number;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface CheckResult {
  name: string;
  /** only `failed` fails the run; `warning` flags a run whose figures deserve doubt */
  status: 'passed' | 'failed' | 'skipped' | 'warning';
  detail: string;
}

/** what setup and checks get: requests here are not part of the measured steps */
export interface ScenarioContext {
  readonly options: ScenarioOptions;
  readonly runId: string;
  readonly admin: Credentials | undefined;
  /** rejects on transport failure */
  request(request: HttpRequest): Promise<HttpResponse>;
  log(message: string): void;
}

export interface VuResponse {
  /** 0 when the request failed below HTTP */
  status: number;
  body: unknown;
  /** the status was one the step expected */
  ok: boolean;
}

/** one arrival: a visitor walking through the scenario's flow */
export interface VirtualUser {
  /** the arrival number, 1-based, unique in the run */
  readonly n: number;
  readonly runId: string;
  readonly options: ScenarioOptions;
  /** deterministic per (seed, arrival) so a run can be replayed */
  random(): number;
  /** measured under `step`; statuses outside `expect` (default 2xx) count as errors */
  request(step: string, request: HttpRequest & { expect?: readonly number[] }): Promise<VuResponse>;
  /** pauses around `meanMs` (±50 %); returns early when the run is aborted */
  think(meanMs?: number): Promise<void>;
  /** pauses exactly `ms` (a server-told interval such as retryAfterMs); false when the run was aborted */
  wait(ms: number): Promise<boolean>;
}

export interface Scenario<State> {
  readonly name: string;
  readonly description: string;
  /** step names, in the order the tables list them */
  readonly steps: readonly string[];
  /** option values this scenario assumes when the caller leaves them unset */
  readonly defaults?: ScenarioOptions;
  phases(options: ScenarioOptions): Phase[];
  /** before the load: discover data, read what the checks compare against */
  setup(ctx: ScenarioContext): Promise<State>;
  flow(vu: VirtualUser, state: State): Promise<void>;
  /** after the load has drained */
  checks(ctx: ScenarioContext, state: State): Promise<CheckResult[]>;
}

/** a scenario with its state type erased, as the runner and the registry hold it */
export type AnyScenario = Scenario<unknown>;

export function defineScenario<State>(scenario: Scenario<State>): AnyScenario {
  return {
    ...scenario,
    phases: (o) => scenario.phases(o),
    setup: (ctx) => scenario.setup(ctx),
    flow: (vu, state) => scenario.flow(vu, state as State),
    checks: (ctx, state) => scenario.checks(ctx, state as State),
  };
}
