/**
 * A reason not to start that the operator fixes (a setting, a permission), not a bug: the CLI
 * prints its message as one line, without a stack trace (unless LOG_LEVEL=debug), and exits with
 * `exitCode` (1 unless a more specific code applies; see docs/troubleshooting.md).
 */
export class StartupError extends Error {
  override name = 'StartupError';
  readonly exitCode: number;

  constructor(message: string, { exitCode = 1, cause }: { exitCode?: number; cause?: unknown } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.exitCode = exitCode;
  }
}
