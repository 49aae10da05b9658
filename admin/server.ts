// Serves the admin app on its own port with @hono/node-server; stop() closes the listener and open connections.
import { serve, type ServerType } from "@hono/node-server";
import type { AdminApp } from "./env.ts";

export interface AdminServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  stop(): Promise<void>;
}

export function startAdminServer(app: AdminApp, options: { host: string; port: number }): Promise<AdminServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    const onError = (error: Error): void => reject(error);
    server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info) => {
      server!.off("error", onError);
      resolve({
        port: info.port,
        stop: () =>
          new Promise<void>((done) => {
            if ("closeAllConnections" in server!) server.closeAllConnections();
            server!.close(() => done());
          }),
      });
    });
    server.once("error", onError);
  });
}
