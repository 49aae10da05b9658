import { randomInt } from "node:crypto";
import { createServer } from "node:net";

// Below Linux's ephemeral range (32768–60999): a port the kernel hands out for outgoing connections can be taken
// between this check and the server's bind ("Address already in use" from Synapse in CI); these ports cannot.
const lowest = 20_000;
const highest = 32_767;

const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

/** A TCP port on 127.0.0.1 that nothing listens on at the moment of asking, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(lowest, highest + 1);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${lowest} and ${highest}`);
}
