/**
 * Polls `check` until it returns a value that is not undefined/false, or throws once the deadline
 * passes. For harness steps that are not assertions (expect.poll is for those).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, { timeoutMs = 30_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      // a check that knows waiting is pointless (a crashed process) ends the wait at once
      if ((err as { fatal?: boolean }).fatal) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
