/**
 * A TCP relay on a loopback port the test controls, in front of a real
 * server (the machine's PostgreSQL, a Redis of the test's own): `cut()` closes
 * the port and every relayed connection, as if the database host went away;
 * `restore()` opens the same port again; `dropWhen` drops a connection at the
 * moment its client sends a given command. The real server is never touched.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Refuses new connections and drops the open ones. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Called with every chunk a client sends; true drops that connection there (the chunk may reach the server, no answer comes back). */
  dropWhen?: (chunk: Buffer) => boolean;
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1", { dropWhen }: TcpProxyOptions = {}): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    const next = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      if (dropWhen) {
        client.on("data", (chunk: Buffer) => {
          if (!dropWhen(chunk)) return;
          client.destroy();
          upstream.destroy();
        });
      }
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    next.once("error", reject);
    next.listen(port, "127.0.0.1", () => {
      server = next;
      resolve((next.address() as AddressInfo).port);
    });
  });
  const cut = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  const port = await listen(0);
  return {
    port,
    cut,
    async restore() {
      if (!server) await listen(port);
    },
    close: cut,
  };
}
