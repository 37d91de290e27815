import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerClientError } from './client-errors.js';

/**
 * The refusal of a connection Node's parser gave up on (a request timeout, oversized headers) must reach a
 * client that is still sending: a slow-body client dribbles bytes right up to its 408. These tests run a
 * plain TCP server whose first byte received is "the timeout", so the order of events is exact: the answer is
 * written, then the client sends more before its event loop has read the answer (what a busy client does).
 */
describe('answerClientError: the refusal survives a client that is still sending', () => {
  const closers: Array<() => void> = [];
  afterEach(() => { for (const close of closers.splice(0)) close(); });

  async function refusingServer(code: string) {
    const answered: net.Socket[] = [];
    const server = net.createServer((socket) => {
      socket.on('error', () => {}); // as Node's HTTP server does once a client errs
      socket.once('data', () => {
        answerClientError(Object.assign(new Error('refused'), { code }), socket);
        answered.push(socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => { for (const s of answered) s.destroy(); server.close(); });
    return { port: (server.address() as net.AddressInfo).port, answered };
  }

  async function exchange(port: number, answeredCount: () => number) {
    const client = net.connect({ host: '127.0.0.1', port });
    closers.push(() => client.destroy());
    await new Promise<void>((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
    let received = '';
    const closed = new Promise<void>((resolve) => {
      client.on('data', (d) => (received += d.toString('latin1')));
      client.on('error', () => resolve()); // a reset: whatever arrived before it is in `received`
      client.on('close', () => resolve());
    });
    client.write('POST /v1/auth/login HTTP/1.1\r\nContent-Length: 100\r\n\r\n{');
    // the server answers within this process. Checked in the check phase, right after the poll phase that ran
    // the server's handler: the answer is in the client's receive buffer, not read yet (that is the next poll
    // phase). The client then keeps sending, as a dribbling client's timer does before its loop reads
    await new Promise<void>((resolve) => {
      const check = () => (answeredCount() > 0 ? resolve() : setImmediate(check));
      check();
    });
    for (let i = 0; i < 5; i++) client.write(' ');
    await closed;
    return received;
  }

  it('when a request timed out while its client was still sending, then the client reads the whole 408 problem', async () => {
    const { port, answered } = await refusingServer('ERR_HTTP_REQUEST_TIMEOUT');
    const received = await exchange(port, () => answered.length);
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(received).toContain('application/problem+json');
    expect(received).toContain('"code":"REQUEST_TIMEOUT"');
  });

  it('when the headers overflowed, then the client reads the 431 problem', async () => {
    const { port, answered } = await refusingServer('HPE_HEADER_OVERFLOW');
    const received = await exchange(port, () => answered.length);
    expect(received).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(received).toContain('"code":"HEADERS_TOO_LARGE"');
  });
});
