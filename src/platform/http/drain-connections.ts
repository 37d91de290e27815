import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionDrain {
  /**
   * Resolves once the server has been quiet for `idleGraceMs`: no request in flight, and no request,
   * answer, new connection or closed connection for that long (counted from the start of the drain).
   * Bounded by `timeoutMs`: a server that keeps receiving traffic keeps serving it until then.
   */
  drain(options?: { idleGraceMs?: number; timeoutMs?: number }): Promise<{ waitedMs: number; open: number }>;
  /** open connections now (for tests and logs) */
  open(): number;
}

/**
 * Clean shutdown without resets. Closing an idle keep-alive connection races a client that is sending on
 * it at that instant (the client sees ECONNRESET), and closing the listener refuses the client's next
 * connection. So the drain keeps the listener open while clients learn that connections are going away:
 * every answer says `Connection: close` (create-http-app's hook), a client that reconnects is still
 * served, and only once the server has been quiet for a moment does the caller close it (Fastify then
 * closes the connections left idle).
 */
export function trackConnections(server: Server, now: () => number = Date.now): ConnectionDrain {
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let lastActivityAt = 0;
  const touch = () => (lastActivityAt = now());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    touch();
    socket.once('close', () => {
      sockets.delete(socket);
      touch();
    });
  });
  server.on('request', (_req, res) => {
    inFlight++;
    touch();
    res.once('close', () => {
      inFlight--;
      touch();
    });
  });

  return {
    open: () => sockets.size,
    async drain({ idleGraceMs = 1_000, timeoutMs = 15_000 } = {}) {
      const started = now();
      const quiet = () => inFlight === 0 && now() - Math.max(started, lastActivityAt) >= idleGraceMs;
      while (!quiet() && now() - started < timeoutMs) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { waitedMs: now() - started, open: sockets.size };
    },
  };
}
