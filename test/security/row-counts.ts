import pg from 'pg';

/**
 * Row counts of every table of every service schema, to prove a refused request wrote nothing.
 * The audit log is left out: recording a refused attempt there is what it is for.
 */
export async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ schemaname: string; relname: string }>(
      `select schemaname, relname from pg_stat_user_tables where schemaname <> 'public' and schemaname !~ 'audit' and relname !~ 'audit' order by 1, 2`);
    const counts: Record<string, number> = {};
    for (const r of rows) {
      const { rows: [c] } = await client.query<{ n: number }>(`select count(*)::int as n from "${r.schemaname}"."${r.relname}"`);
      counts[`${r.schemaname}.${r.relname}`] = c!.n;
    }
    return counts;
  } finally {
    await client.end();
  }
}
