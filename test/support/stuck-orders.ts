import pg from 'pg';

/**
 * Where each order that did not end final is stuck, read straight from the rig's database: the order
 * row, its payment row and every outbox row (any service) that names it. A failed "no lost order"
 * assertion prints it, so a run on a loaded machine tells a slow settle from a stuck pipeline.
 */
export async function describeStuckOrders(databaseUrl: string, orderIds: string[]): Promise<string> {
  if (orderIds.length === 0) return '';
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows: schemas } = await client.query<{ schema: string }>(
      `select table_schema as schema from information_schema.tables where table_name = 'outbox' order by 1`);
    const out: string[] = [`database now: ${(await client.query<{ now: Date }>('select now()')).rows[0]!.now.toISOString()}`];
    for (const id of orderIds) {
      const order = await client.query(`select id, status, created_at, updated_at from orders.orders where id = $1`, [id]);
      const history = await client.query(`select to_jsonb(h) as h from orders.status_history h where order_id = $1`, [id]);
      const payment = await client.query(`select to_jsonb(p) as p from payments.payments p where order_id = $1`, [id]);
      out.push(`order ${id}: ${JSON.stringify(order.rows[0] ?? 'no row')}`);
      out.push(`  history: ${JSON.stringify(history.rows.map((r) => r.h))}`);
      out.push(`  payment: ${JSON.stringify(payment.rows.map((r) => r.p))}`);
      for (const { schema } of schemas) {
        const events = await client.query(
          `select id, type, attempts, available_at, published_at, parked_at, last_error from ${schema}.outbox where payload::text like $1 order by occurred_at`,
          [`%${id}%`]);
        for (const e of events.rows) out.push(`  ${schema}.outbox: ${JSON.stringify(e)}`);
      }
    }
    return out.join('\n');
  } catch (err) {
    return `could not read the stuck orders' state: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}
