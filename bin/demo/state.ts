import { readFile, writeFile } from "node:fs/promises";
import { freePort } from "../local-synapse/free-port.ts";
import type { LocalHomeserverSettings } from "../local-synapse/homeserver-dir.ts";
import { demoServerNames, type DemoLayout, type DemoServer } from "./layout.ts";

/** What the demo's first run chose and made, reused by later runs: its servers' ports and names are in every ID. */
export interface DemoState {
  readonly servers: Readonly<Record<DemoServer, LocalHomeserverSettings>>;
  monitorsRoomId?: string;
  readonly queueRoomIds: Record<string, string>;
}

export async function readDemoState(layout: DemoLayout): Promise<DemoState | undefined> {
  try {
    return JSON.parse(await readFile(layout.stateFile, "utf8")) as DemoState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function saveDemoState(layout: DemoLayout, state: DemoState): Promise<void> {
  await writeFile(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/** New servers on ports free now: client and federation port each, server name localhost:<federation port>. */
export async function newDemoState(): Promise<DemoState> {
  const taken = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const candidate = await freePort();
      if (!taken.has(candidate)) return (taken.add(candidate), candidate);
    }
  };
  const entries: Array<[DemoServer, LocalHomeserverSettings]> = [];
  for (const server of demoServerNames) {
    const clientPort = await port();
    const federationPort = await port();
    entries.push([server, { serverName: `localhost:${federationPort}`, clientPort, federationPort }]);
  }
  return { servers: Object.fromEntries(entries) as Record<DemoServer, LocalHomeserverSettings>, queueRoomIds: {} };
}
