/**
 * Whether tracing was asked for, and the running SDK's shutdown, without importing OpenTelemetry: the SDK,
 * its exporter and instrumentations cost every process ~0.4 s of CPU at start, so preload.ts loads
 * tracing.ts only when the OTEL_* variables ask for traces, and the runtimes stop it through this module.
 */
export type ShutdownTracing = () => Promise<void>;

let active: ShutdownTracing | undefined;

/**
 * Off unless the standard variables ask for it: OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_TRACES_EXPORTER (otlp | console); OTEL_SDK_DISABLED=true
 * and OTEL_TRACES_EXPORTER=none switch it off.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (exporters.includes('none')) return false;
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** the running SDK's shutdown (tracing.ts), or undefined once it stopped */
export function activeTracing(): ShutdownTracing | undefined {
  return active;
}

export function setActiveTracing(shutdown: ShutdownTracing | undefined): void {
  active = shutdown;
}

/** Flushes and stops tracing if it was started (by preload.ts or startTracing); call on graceful shutdown. */
export function shutdownTracing(): Promise<void> {
  return active ? active() : Promise.resolve();
}
