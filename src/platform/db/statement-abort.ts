import { sql, type RawBuilder } from 'kysely';

export interface StatementAbort {
  /**
   * A select-list expression of a data-modifying statement (a CTE): `then` when `condition` holds; otherwise the
   * whole statement fails, every write of it undone, with this abort's reason in its error. For a fence one
   * statement checks after its writes (a claim taken over, stock short), where a transaction would have thrown
   * between two statements.
   */
  unless<T>(condition: RawBuilder<unknown>, then: RawBuilder<T>, type: 'int' | 'boolean'): RawBuilder<T>;
  /** the error is this abort (the caller turns it into its own answer: it must not surface as it is) */
  is(err: unknown): boolean;
}

/**
 * SQL has no RAISE outside PL/pgSQL, so the abort is a cast that fails: the reason, as text, cast to the
 * expression's type. The text ends with a volatile value, so the planner cannot fold the cast, and fail, while
 * planning a statement whose branch is never taken (a constant text did, on every call).
 *
 * The failure is a class-22 data exception (22P02), which the HTTP layer answers as the client's bad input
 * (data-exceptions.ts): callers catch it with `is` and answer or throw what it means, never rethrow it.
 */
export function createStatementAbort(reason: string): StatementAbort {
  const marker = `floodgate: ${reason}; `;
  return {
    unless: <T>(condition: RawBuilder<unknown>, then: RawBuilder<T>, type: 'int' | 'boolean') =>
      sql<T>`case when ${condition} then ${then} else (${marker} || random()::text)::${sql.raw(type)} end`,
    is: (err) => err instanceof Error && err.message.includes(marker),
  };
}
