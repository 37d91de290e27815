import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// a real unhandled rejection must happen in a process of its own: inside vitest it would fail the run
const script = `
  const { watchUnhandledRejections } = await import(${JSON.stringify(here('./unhandled-rejections.ts'))});
  const { createMetrics } = await import(${JSON.stringify(here('./metrics.ts'))});
  const { default: pino } = await import('pino');
  const metrics = createMetrics('unhandled-test');
  watchUnhandledRejections(pino(), metrics);
  // listeners run in the order they were added: once this one runs, the watcher has logged and counted
  const seen = new Promise((resolve) => process.once('unhandledRejection', resolve));
  void Promise.reject(new Error('a stray rejection'));
  await seen;
  const page = await metrics.registry.metrics();
  console.log('alive; counted ' + /^floodgate_unhandled_rejections_total(?:\\{[^}]*\\})? (\\d+)/m.exec(page)?.[1]);
`;

describe('unhandled promise rejections in a serving process', () => {
  it('when a promise rejects with nobody waiting, then it is logged with its stack and counted, and the process goes on', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.includes('unhandled promise rejection'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 50, err: { message: 'a stray rejection', stack: expect.stringContaining('Error: a stray rejection') } });
    expect(run.stdout).toContain('alive; counted 1');
  });
});
