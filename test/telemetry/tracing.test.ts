import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = 'test/telemetry/fixtures/traced-server.ts';

interface ExportedSpan { traceId: string; name: string; service: string }

/** A stand-in OTLP/HTTP collector: records the spans POSTed to /v1/traces. */
async function startCollector() {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<{ traceId: string; name: string }> }> }> };
        for (const rs of payload.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ traceId: span.traceId, name: span.name, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { spans, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function closedPortUrl() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Starts the fixture the way bin/floodgate.js would: tsx, then the preload, then the app. */
function startTracedServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './src/platform/telemetry/preload.ts', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'traced-fixture', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /LISTENING (\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]!); }
    });
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe('tracing', () => {
  const cleanup: Array<ChildProcess | Server> = [];
  afterEach(async () => {
    for (const item of cleanup.splice(0)) {
      if ('kill' in item) item.kill('SIGKILL');
      else await new Promise((resolve) => item.close(resolve));
    }
  });

  it('when OTEL_EXPORTER_OTLP_ENDPOINT points at a collector, then a request produces a span named after its route, with the trace id in its log line', async () => {
    const collector = await startCollector();
    cleanup.push(collector.server);
    const traced = startTracedServer({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    cleanup.push(traced.child);
    const url = await traced.url;

    const response = await fetch(`${url}/v1/things/abc`);
    expect(response.status).toBe(200);
    const span = await until(() => collector.spans.find((s) => s.name === 'GET /v1/things/:id'), 10_000);
    expect(span, `spans: ${JSON.stringify(collector.spans)}\n${traced.output()}`).toBeDefined();
    expect(span!.service).toBe('traced-fixture');

    const requestLine = traced.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request' && l.route === '/v1/things/:id');
    expect(requestLine?.traceId).toBe(span!.traceId);
    // probes and scrapes are not traced
    await fetch(`${url}/healthz`);
    await new Promise((r) => setTimeout(r, 400));
    expect(collector.spans.map((s) => s.name)).not.toContain('GET /healthz');
  });

  it('when the collector is unreachable, then the process keeps serving and only logs the export failure', async () => {
    const traced = startTracedServer({ OTEL_EXPORTER_OTLP_ENDPOINT: await closedPortUrl(), OTEL_BSP_EXPORT_TIMEOUT: '500' });
    cleanup.push(traced.child);
    const url = await traced.url;

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await fetch(`${url}/v1/things/${i}`)).status);
      await new Promise((r) => setTimeout(r, 75));
    }
    const logged = await until(() => (/tracing: .*(ECONNREFUSED|export|connect)/i.test(traced.output()) ? true : undefined), 10_000);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(traced.child.exitCode).toBeNull();
    expect((await fetch(`${url}/v1/things/after`)).status).toBe(200);
    expect(logged, traced.output()).toBe(true);
  });
});
