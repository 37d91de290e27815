// CI only: removes what earlier test runs left on the shared RabbitMQ (queues and exchanges named by the
// tests: floodgate-test.<uuid>, floodgate.t<hex> for the cluster test, floodgate.test.*), and prints the
// broker's alarms. The CI machine keeps one broker across runs, so leftovers would pile up run after run.
// Names come from `rabbitmqctl`; deletion goes through AMQP. Never touches another name.
import { execFileSync } from 'node:child_process';
import amqp from 'amqplib';

const TEST_NAME = /^(floodgate-test\.[0-9a-f-]{36}|floodgate\.t[0-9a-f]{8}|floodgate\.test\.[\w.-]+)(\.|$)/;
const list = (what) => execFileSync('rabbitmqctl', ['-q', what, 'name'], { encoding: 'utf8', timeout: 60_000 }).split('\n').map((l) => l.trim()).filter((n) => TEST_NAME.test(n));

let queues = [];
let exchanges = [];
try {
  queues = list('list_queues');
  exchanges = list('list_exchanges');
} catch (err) {
  console.log(`rabbitmqctl could not list the broker's queues (${err.message.split('\n')[0]}); nothing cleaned`);
  process.exit(0);
}
const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
const channel = await connection.createChannel();
for (const queue of queues) await channel.deleteQueue(queue);
for (const exchange of exchanges) await channel.deleteExchange(exchange);
await connection.close();
console.log(`RabbitMQ: removed ${queues.length} queues and ${exchanges.length} exchanges left by earlier test runs`);
