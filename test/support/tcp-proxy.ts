import net from 'node:net';

export interface TcpProxy {
  /** host:port clients connect to instead of the target */
  port: number;
  /** connections made through the proxy so far */
  connections(): number;
  /** drops every open connection and refuses new ones until restore(): a network cut, the target keeps running */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A TCP proxy a fault test controls, in front of a shared service (RabbitMQ, PostgreSQL): cutting it
 * breaks the client's link exactly as a network failure would, without touching the service others use.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let cut = false;
  let total = 0;
  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (cut) return void client.destroy();
    total++;
    const upstream = net.connect(target);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => { upstream.destroy(); open.delete(client); open.delete(upstream); });
    upstream.on('close', () => client.destroy());
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
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
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    [Symbol.asyncDispose]: () => proxy.close(),
  };
  return proxy;
}
