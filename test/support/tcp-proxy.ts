import net from 'node:net';

export interface TcpProxy {
  /** host:port clients connect to instead of the target */
  port: number;
  /** connections made through the proxy so far */
  connections(): number;
  /** drops every open connection and refuses new ones until restore(): a network cut, the target keeps running */
  cut(): void;
  restore(): void;
  /**
   * Stops forwarding what clients send (the connections stay open, the bytes wait in the proxy) until
   * release(): a dependency that is up but answers nothing, e.g. PostgreSQL stuck behind a lock, so a
   * test can hold requests in flight for as long as it needs instead of hoping they are slow enough.
   */
  hold(): void;
  release(): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A TCP proxy a fault test controls, in front of a shared service (RabbitMQ, PostgreSQL): cutting it
 * breaks the client's link exactly as a network failure would, without touching the service others use.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const links = new Map<net.Socket, net.Socket>();
  let cut = false;
  let held = false;
  let total = 0;
  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (cut) return void client.destroy();
    total++;
    const upstream = net.connect(target);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => { upstream.destroy(); open.delete(client); open.delete(upstream); links.delete(client); });
    upstream.on('close', () => client.destroy());
    open.add(client).add(upstream);
    links.set(client, upstream);
    upstream.pipe(client);
    if (!held) client.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const proxy: TcpProxy = {
    port: (server.address() as net.AddressInfo).port,
    connections: () => total,
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      cut = false;
    },
    hold() {
      if (held) return;
      held = true;
      for (const [client, upstream] of links) {
        client.unpipe(upstream);
        client.pause();
      }
    },
    release() {
      // piping a connection twice would send every byte twice
      if (!held) return;
      held = false;
      for (const [client, upstream] of links) client.pipe(upstream);
    },
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    [Symbol.asyncDispose]: () => proxy.close(),
  };
  return proxy;
}
