import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ArrivalScheduler } from './arrival-scheduler.js';
import { createHttpClient } from './http-client.js';
import { phaseAt, rateAt, totalDuration, type Phase } from './phases.js';
import { createProgressWriter } from './progress-line.js';
import { writeReportFiles } from './report-files.js';
import { RunRecorder, type ArrivalTotals, type WindowSample } from './run-recorder.js';
import type { AnyScenario, CheckResult, Credentials, ScenarioContext, ScenarioOptions } from './scenario.js';
import { scenarios } from './scenarios/index.js';
import { buildStepRows, type StepRow } from './step-table.js';
import { DEFAULT_OBJECTIVES, objectiveChecks, type Objectives } from './objectives.js';

/** `{ p99Ms: undefined }` from an absent flag must not override the default */
const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
import { assertLoopbackTarget } from './target-guard.js';
import { createVirtualUser } from './virtual-user.js';

export interface RunLoadTestOptions extends ScenarioOptions {
  /** a registered scenario name (browse, funnel, spike) or a scenario module */
  scenario: string | AnyScenario;
  /** loopback only: http://127.0.0.1:8080 */
  target: string;
  /** concurrent flows before new arrivals are dropped (default 5000) */
  maxInFlight?: number;
  /** keep-alive connections in the undici pool (default 128) */
  connections?: number;
  /** per request (default 10 000) */
  timeoutMs?: number;
  /** how long running flows may finish after the schedule ends before they are aborted (default 30 000) */
  drainTimeoutMs?: number;
  /** an arrival started later than this after its due time counts as late (default 100) */
  lateThresholdMs?: number;
  admin?: Credentials;
  seed?: number;
  /** where the HTML and JSON reports go (default `reports`); false writes none */
  outDir?: string | false;
  /** live progress and messages (default process.stderr); false for silence */
  progress?: (NodeJS.WritableStream & { isTTY?: boolean }) | false;
  /** aborting stops the schedule early; the run still drains, checks and reports */
  signal?: AbortSignal;
  /** per-step service-level objectives, checked like correctness (default DEFAULT_OBJECTIVES) */
  objectives?: Partial<Objectives>;
}

export interface LoadTestResult {
  scenario: string;
  description: string;
  target: string;
  runId: string;
  startedAt: string;
  /** from the first arrival until every flow finished */
  durationSec: number;
  options: ScenarioOptions & { maxInFlight: number; connections: number; timeoutMs: number; seed: number; admin: boolean };
  phases: Phase[];
  steps: StepRow[];
  windows: WindowSample[];
  arrivals: ArrivalTotals;
  flowErrors: { count: number; samples: string[] };
  /** flows still running when the drain timeout hit; their requests were aborted */
  abortedFlows: number;
  checks: CheckResult[];
  passed: boolean;
  files?: { html: string; json: string };
}

function resolveScenario(s: string | AnyScenario): AnyScenario {
  if (typeof s !== 'string') return s;
  const found = scenarios[s];
  if (!found) throw new Error(`Unknown scenario "${s}"; choose one of: ${Object.keys(scenarios).join(', ')}`);
  return found;
}

const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Runs one scenario against a loopback target and returns (and by default writes) its report. */
export async function runLoadTest(options: RunLoadTestOptions): Promise<LoadTestResult> {
  const target = assertLoopbackTarget(options.target);
  const scenario = resolveScenario(options.scenario);
  const {
    scenario: _s, target: _t, maxInFlight = 5000, connections = 128, timeoutMs = 10_000, drainTimeoutMs = 30_000,
    lateThresholdMs = 100, admin, seed = Date.now() % 1_000_000, outDir = 'reports', progress = process.stderr, signal, ...flow
  } = options;
  const scenarioOptions: ScenarioOptions = { ...scenario.defaults, ...defined(flow) };
  const phases = scenario.phases(scenarioOptions);
  const totalSec = totalDuration(phases);
  const runId = randomBytes(4).toString('hex');
  const out = progress ? createProgressWriter(progress) : undefined;
  const client = createHttpClient(target, { connections, timeoutMs });
  const ctx: ScenarioContext = {
    options: scenarioOptions,
    runId,
    admin,
    request: (req) => client.send(req),
    log: (message) => out?.message(message),
  };

  try {
    out?.message(`loadtest ${scenario.name} → ${target.origin}: ${phases.map((p) => `${p.name} ${p.durationSec}s@${p.fromRate === p.toRate ? p.fromRate : `${p.fromRate}→${p.toRate}`}/s`).join(', ')}`);
    const state = await scenario.setup(ctx);
    const recorder = new RunRecorder(scenario.steps, lateThresholdMs);
    const aborter = new AbortController();
    // every in-flight request listens on this one signal
    setMaxListeners(0, aborter.signal);
    const flowErrors = { count: 0, samples: [] as string[] };
    const scheduler = new ArrivalScheduler({
      phases,
      maxInFlight,
      startArrival: (n) => scenario.flow(createVirtualUser(n, { client, recorder, options: scenarioOptions, runId, seed, signal: aborter.signal }), state),
      onArrival: (started, lagMs) => recorder.recordArrival(started, lagMs),
      onFlowError: (error) => {
        flowErrors.count += 1;
        if (flowErrors.samples.length < 5) flowErrors.samples.push(error instanceof Error ? error.message : String(error));
      },
    });
    const startedAt = new Date();
    let errorsSoFar = 0;
    let droppedSoFar = 0;
    const closeWindow = () => {
      const t = scheduler.elapsed();
      const sample = recorder.closeWindow(Math.round(t * 1000) / 1000, rateAt(phases, Math.max(0, t - 0.5)), scheduler.inFlight);
      errorsSoFar += sample.errors;
      droppedSoFar += sample.dropped;
      out?.update({ elapsedSec: t, totalSec, phase: t <= totalSec ? (phaseAt(phases, t)?.name ?? '') : 'drain', last: sample, errorsSoFar, droppedSoFar });
    };
    const onAbort = () => scheduler.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    scheduler.start();
    const windowTimer = setInterval(closeWindow, 1000);
    await scheduler.finished;
    let abortedFlows = 0;
    if (!(await scheduler.idle(drainTimeoutMs))) {
      abortedFlows = scheduler.inFlight;
      aborter.abort();
      await scheduler.idle(5_000);
    }
    clearInterval(windowTimer);
    signal?.removeEventListener('abort', onAbort);
    closeWindow();
    out?.end();
    const durationSec = Math.round(scheduler.elapsed() * 100) / 100;

    const steps = buildStepRows(recorder.steps.values(), durationSec);
    const checks = [
      ...(await scenario.checks(ctx, state)),
      ...objectiveChecks(steps, { ...DEFAULT_OBJECTIVES, ...definedOnly(options.objectives ?? {}) }),
      ...generatorChecks(recorder.arrivalTotals(), flowErrors, abortedFlows),
    ];
    const result: LoadTestResult = {
      scenario: scenario.name,
      description: scenario.description,
      target: target.href,
      runId,
      startedAt: startedAt.toISOString(),
      durationSec,
      options: { ...scenarioOptions, maxInFlight, connections, timeoutMs, seed, admin: Boolean(admin) },
      phases,
      steps,
      windows: recorder.windows,
      arrivals: recorder.arrivalTotals(),
      flowErrors,
      abortedFlows,
      checks,
      passed: checks.every((c) => c.status !== 'failed'),
    };
    if (outDir !== false) result.files = await writeReportFiles(result, outDir);
    return result;
  } finally {
    await client.close();
  }
}

/** the generator's own health: a run that could not keep its schedule measured less than it claims */
function generatorChecks(arrivals: ArrivalTotals, flowErrors: { count: number; samples: string[] }, abortedFlows: number): CheckResult[] {
  const checks: CheckResult[] = [];
  const lateShare = arrivals.started > 0 ? arrivals.late / arrivals.started : 0;
  const kept = arrivals.dropped === 0 && lateShare < 0.01;
  checks.push({
    name: 'generator kept the arrival schedule',
    status: kept ? 'passed' : 'warning',
    detail:
      `${arrivals.started} of ${arrivals.scheduled} arrivals started, ${arrivals.dropped} dropped at the in-flight cap, ` +
      `${arrivals.late} late (start lag p99 ${arrivals.startLag.p99} ms)` +
      (kept ? '' : ': the load generator was saturated, raise --max-in-flight or lower the rate'),
  });
  if (flowErrors.count > 0) {
    checks.push({ name: 'flows ran to the end', status: 'warning', detail: `${flowErrors.count} flows threw: ${flowErrors.samples.join(' | ')}` });
  }
  if (abortedFlows > 0) {
    checks.push({ name: 'flows drained', status: 'warning', detail: `${abortedFlows} flows were still waiting when the drain timeout hit and were aborted` });
  }
  return checks;
}
