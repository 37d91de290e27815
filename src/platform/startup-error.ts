/**
 * A reason not to start that the operator fixes (a setting, a permission), not a bug: the CLI
 * prints its message as one line, without a stack trace, and exits with status 1.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}
