import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSeconds, registerLoadtestCommand } from './loadtest-command.js';

const cli = () => {
  const program = new Command().exitOverride();
  registerLoadtestCommand(program).exitOverride().configureOutput({ writeErr: () => {} });
  return program;
};

afterEach(() => {
  process.exitCode = undefined;
});

describe('floodgate loadtest command', () => {
  it('when durations are given with or without units, then they become seconds', () => {
    expect(parseSeconds('30')).toBe(30);
    expect(parseSeconds('30s')).toBe(30);
    expect(parseSeconds('3m')).toBe(180);
    expect(parseSeconds('1.5m')).toBe(90);
    expect(parseSeconds('500ms')).toBe(0.5);
    expect(() => parseSeconds('soon')).toThrow(/not a duration/);
  });

  it('when the target is another machine, then the command refuses before any request', async () => {
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'browse', '--target', 'http://example.com', '--no-progress', '--no-report'])).rejects.toThrow(
      /only targets this machine/,
    );
  });

  it('when the scenario is unknown, then the error lists the known ones', async () => {
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'nope', '--no-progress', '--no-report'])).rejects.toThrow(/browse, funnel, spike/);
  });

  it('when a ratio is out of range, then commander rejects the flag', async () => {
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'funnel', '--cart-ratio', '1.5'])).rejects.toThrow(/between 0 and 1/);
  });

  it('when a flash sale size is not a positive number, then commander rejects the flag naming it', async () => {
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'flash', '--customers', '0'])).rejects.toThrow(/"0" must be a positive whole number/);
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'flash', '--stock', 'many'])).rejects.toThrow(/"many" must be a positive whole number/);
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'flash', '--limit', '1.5'])).rejects.toThrow(/must be a positive whole number/);
  });

  it('when an objective flag is malformed, then commander rejects it naming the value', async () => {
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'browse', '--slo-p99', 'fast'])).rejects.toThrow(/"fast" must be a positive number/);
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'browse', '--slo-p99', '0'])).rejects.toThrow(/"0" must be a positive number/);
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'browse', '--slo-error-rate', '5%'])).rejects.toThrow(/"5%" must be between 0 and 1/);
  });

  it('when a calibration bound is zero, negative or not a number, then commander rejects it naming the value', async () => {
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'calibrate', '--max-rps', '0'])).rejects.toThrow(/"0" must be a positive number/);
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'calibrate', '--start-rps', '-5'])).rejects.toThrow(/"-5" must be a positive number/);
    await expect(cli().parseAsync(['node', 'floodgate', 'loadtest', 'calibrate', '--step', 'long'])).rejects.toThrow(/"long" is not a duration/);
  });
});
