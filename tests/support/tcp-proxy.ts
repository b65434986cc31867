// A loopback TCP proxy the test can cut and restore, to play a database outage without
// stopping the shared test server.
import net from "node:net";

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones. */
  cut(): Promise<void>;
  /**
   * The database stops answering without closing anything (a hung server or a dead network):
   * connections stay open, bytes go nowhere. restore() ends them and forwards again.
   */
  blackhole(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let swallowing = false;
  let server: net.Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        if (swallowing) {
          sockets.add(client);
          client.on("error", () => client.destroy()).on("close", () => sockets.delete(client));
          client.resume();
          return;
        }
        const upstream = net.connect(targetPort, targetHost);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.on("data", (chunk: Buffer) => {
          if (!swallowing) upstream.write(chunk);
        });
        upstream.on("data", (chunk: Buffer) => {
          if (!swallowing) client.write(chunk);
        });
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    get port() {
      return port;
    },
    cut: stop,
    blackhole: () => {
      swallowing = true;
    },
    restore: async () => {
      if (swallowing) {
        swallowing = false;
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        if (server) return;
      }
      await listen();
    },
    close: stop,
  };
}
