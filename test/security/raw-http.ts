import net from 'node:net';

export interface RawExchange {
  /** everything the server sent */
  response(): string;
  /** resolves when the server closed the connection (or it errored) */
  closed: Promise<void>;
  /** the status line's code, once one arrived */
  status(): number | undefined;
  write(text: string): boolean;
  destroy(): void;
}

/** A hand-written HTTP/1.1 exchange on a plain socket: for what fetch refuses to send (TRACE, slow bodies, half headers). */
export async function openRaw(baseUrl: string, firstBytes: string): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  const closed = new Promise<void>((resolve) => { socket.once('close', () => resolve()); socket.on('error', () => resolve()); });
  socket.write(firstBytes);
  return {
    response: () => received,
    closed,
    status: () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      return m ? Number(m[1]) : undefined;
    },
    write: (text) => !socket.destroyed && socket.write(text),
    destroy: () => socket.destroy(),
  };
}
