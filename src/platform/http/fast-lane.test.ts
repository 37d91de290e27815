import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../telemetry/metrics.js';
import { createFastLane, type FastLane } from './fast-lane.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** a lane answering GET /echo/<anything> from memory with the path as its body, on a real HTTP server */
async function laneServer(onHandled: (res: ServerResponse) => void = () => {}) {
  const lane: FastLane = createFastLane({ metrics: createMetrics('lane-test'), logger: pino({ level: 'silent' }), commonHeaders: { 'x-content-type-options': 'nosniff' } });
  lane.route('/echo/', '/echo/:what', (url) => lane.prepare(200, { 'content-type': 'text/plain' }, Buffer.from(url)));
  // an answer Node refuses to write: a header value with a line break
  lane.route('/broken/', '/broken/:what', (url) => lane.prepare(200, { 'content-type': 'text/plain', 'x-broken': 'a\r\nb' }, Buffer.from(url)));
  const server = createServer((req, res) => {
    if (!lane.handle(req, res)) {
      res.writeHead(404).end();
      return;
    }
    onHandled(res);
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return (server.address() as AddressInfo).port;
}

/** the complete answers (head and body, by Content-Length) at the start of `received` */
function completeAnswers(received: Buffer): Array<{ head: string; body: string }> {
  const answers: Array<{ head: string; body: string }> = [];
  let at = 0;
  for (;;) {
    const headEnd = received.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return answers;
    const head = received.subarray(at, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (received.length < headEnd + 4 + length) return answers;
    answers.push({ head, body: received.subarray(headEnd + 4, headEnd + 4 + length).toString('latin1') });
    at = headEnd + 4 + length;
  }
}

/** sends `raw` in one write and resolves with the first `count` complete answers */
function exchange(port: number, raw: string, count: number): Promise<Array<{ head: string; body: string }>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answers = completeAnswers(received);
      if (answers.length < count) return;
      socket.end();
      resolve(answers.slice(0, count));
    });
    socket.on('error', reject);
  });
}

describe('the fast lane writes the answers of one event-loop turn together', () => {
  it('when the lane answers a GET from memory, then nothing is written before the turn has read its sockets, and the whole answer after', async () => {
    const seen: Array<{ handled: boolean; atTurnEnd: boolean }> = [];
    const port = await laneServer((res) => {
      const entry = { handled: res.headersSent, atTurnEnd: false };
      seen.push(entry);
      setImmediate(() => (entry.atTurnEnd = res.headersSent && res.writableEnded));
    });
    const [answer] = await exchange(port, 'GET /echo/one HTTP/1.1\r\nHost: x\r\n\r\n', 1);
    expect(answer!.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer!.head).toMatch(/\r\nx-request-id: [\w-]+(\r\n|$)/i);
    expect(answer!.head).toMatch(/\r\nx-content-type-options: nosniff(\r\n|$)/i);
    expect(answer!.body).toBe('/echo/one');
    expect(seen).toEqual([{ handled: false, atTurnEnd: true }]);
  });

  it('when one connection pipelines three GETs in one packet, then they are answered in the order they came', async () => {
    const port = await laneServer();
    const raw = ['alpha', 'beta', 'gamma'].map((w) => `GET /echo/${w} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
    const answers = await exchange(port, raw, 3);
    expect(answers.map((a) => a.body)).toEqual(['/echo/alpha', '/echo/beta', '/echo/gamma']);
  });

  it('when a client is gone before its turn ends, then its answer is dropped and the server goes on answering', async () => {
    let first = true;
    const port = await laneServer((res) => {
      if (!first) return;
      first = false;
      res.socket?.destroy();
    });
    const gone = new Promise<void>((closed) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /echo/gone HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('data', () => expect.unreachable('an answer reached a connection the server had closed'));
      socket.on('close', () => closed());
      socket.on('error', () => closed());
    });
    await gone;
    const [answer] = await exchange(port, 'GET /echo/next HTTP/1.1\r\nHost: x\r\n\r\n', 1);
    expect(answer!.body).toBe('/echo/next');
  });

  it('when Node refuses an answer, then only its connection is closed and the server goes on answering the others', async () => {
    const port = await laneServer();
    // a connection whose answer Node refuses, and another's request sent meanwhile
    const broken = connect(port, '127.0.0.1');
    const closed = new Promise<string>((done) => {
      let got = '';
      broken.on('data', (c: Buffer) => (got += c.toString('latin1')));
      broken.on('close', () => done(got));
      broken.on('error', () => undefined);
    });
    await new Promise<void>((ready) => broken.once('connect', () => ready()));
    const good = exchange(port, 'GET /echo/after HTTP/1.1\r\nHost: x\r\n\r\n', 1);
    broken.write('GET /broken/one HTTP/1.1\r\nHost: x\r\n\r\n');
    // refused before a byte was written: the connection closes with nothing on it
    expect(await closed).toBe('');
    expect((await good)[0]!.body).toBe('/echo/after');
    // the server still answers afterwards
    expect((await exchange(port, 'GET /echo/later HTTP/1.1\r\nHost: x\r\n\r\n', 1))[0]!.body).toBe('/echo/later');
  });
});
