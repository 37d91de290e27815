import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { describeDatabaseError, isDatabaseUnavailable } from './database-errors.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Startup waits for a server that is not up yet (a container starting beside us) with a growing pause, and
 * gives up after `timeoutMs` with an error that names the server and the last failure, instead of hanging.
 * Errors that are not about reachability (wrong password, missing database) fail at once.
 */
export async function waitForServer(kysely: Kysely<unknown>, timeoutMs: number, connectionString: string, logger?: Logger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(kysely);
      return;
    } catch (err) {
      const remaining = deadline - Date.now();
      if (!isDatabaseUnavailable(err) || remaining <= 0) {
        const url = new URL(connectionString);
        const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
        throw new Error(`PostgreSQL at ${where} is not usable (${attempt} attempts in ${Math.round(timeoutMs / 1000)} s): ${describeDatabaseError(err)}`, { cause: err });
      }
      logger?.warn({ attempt, error: describeDatabaseError(err) }, 'database not reachable yet; retrying');
      await sleep(Math.min(pause, remaining));
      pause = Math.min(pause * 2, 2_000);
    }
  }
}
