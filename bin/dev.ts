import { rmSync, writeFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { destination } from "pino";
import { loadConfig } from "../config/load.ts";
import { createLogger } from "../core/log/logger.ts";
import { exitCodes, type Command, type CommandContext } from "./command.ts";
import { parseDevArgs, type DevArgs } from "./dev/args.ts";
import { addPerson, ensureAccount, type DevHubAccess } from "./dev/accounts.ts";
import { devBotUserId, devHavenConfig } from "./dev/haven-config.ts";
import {
  acquireDevLock,
  DevError,
  ensurePortFree,
  hubClientUrl,
  prepareDevHub,
  readDevHubSettings,
  runningDevPid,
  stopLeftoverHub,
  wipeDev,
  type DevHubSettings,
} from "./dev/hub.ts";
import { devBotRoles, devDataDir, devLayout, type DevLayout } from "./dev/layout.ts";
import { addedUserBlock, readyBlock } from "./dev/messages.ts";
import { loadOrCreateSecret, readSecret } from "./dev/secrets.ts";
import { stopWithin } from "./bounded-stop.ts";
import { stopRequests } from "./stop-requests.ts";
import { startHaven, type HavenProcess } from "./haven-process.ts";
import {
  startSynapseProcess,
  synapseLogTail,
  SynapseStartError,
  type SynapseProcess,
} from "./local-synapse/process.ts";
import { synapsePython } from "./local-synapse/python.ts";

type Say = (line: string) => void;

const havenStopTimeoutMs = 30_000;

async function startHub(
  layout: DevLayout,
  settings: DevHubSettings,
  context: CommandContext,
  signal?: AbortSignal,
): Promise<SynapseProcess> {
  await ensurePortFree(settings.clientPort, "--client-port");
  await ensurePortFree(settings.federationPort, "--federation-port");
  return startSynapseProcess({
    python: synapsePython(context.env),
    dir: layout.hubDir,
    clientUrl: hubClientUrl(settings),
    ...(signal && { signal }),
    onSpawn: (pid) => writeFileSync(layout.hubPidFile, `${pid}\n`),
  });
}

async function hubAccess(layout: DevLayout, settings: DevHubSettings): Promise<DevHubAccess> {
  const sharedSecret = await readSecret(layout.sharedSecretFile);
  if (sharedSecret === undefined)
    throw new DevError(`${layout.sharedSecretFile} is missing: run npm run dev -- --fresh`);
  return { clientUrl: hubClientUrl(settings), serverName: settings.serverName, sharedSecret };
}

function synapseFailure(error: SynapseStartError, layout: DevLayout): string {
  return [
    `haven dev: the hub Synapse did not start. ${error.message}`,
    `The hub's files are in ${layout.hubDir}. If Synapse itself is broken, delete .tools/synapse-venv and run again.`,
    "",
  ].join("\n");
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function runDev(context: CommandContext, layout: DevLayout, args: DevArgs & { action: "run" }): Promise<number> {
  const say: Say = (line) => context.stdout.write(`dev: ${line}\n`);
  const began = Date.now();
  const running: { synapse?: SynapseProcess; haven?: HavenProcess } = {};
  const killHub = (): void => running.synapse?.kill();
  const requests = stopRequests(() => {
    context.stderr.write("dev: stopping at once (second signal)\n");
    killHub();
    rmSync(layout.lockFile, { force: true });
    process.exit(130);
  });
  process.on("exit", killHub);
  const release = await acquireDevLock(layout);
  try {
    const leftover = await stopLeftoverHub(layout);
    if (leftover !== undefined) say(`stopped the hub Synapse an earlier run left behind (pid ${leftover})`);
    if (args.fresh) {
      await wipeDev(layout);
      say(`--fresh: removed the earlier dev state in ${layout.root}`);
    }
    const { settings, created } = await prepareDevHub(layout, args);
    say(`${created ? "created" : "reusing"} the dev hub ${settings.serverName} in ${layout.hubDir}`);
    try {
      running.synapse = await startHub(layout, settings, context, requests.signal);
    } catch (error) {
      if (requests.signal.aborted) return exitCodes.ok;
      if (!(error instanceof SynapseStartError)) throw error;
      context.stderr.write(synapseFailure(error, layout));
      return exitCodes.failure;
    }
    say(`hub Synapse running (pid ${running.synapse.pid}) at ${hubClientUrl(settings)}, after ${seconds(began)}`);

    const access = await hubAccess(layout, settings);
    for (const role of devBotRoles) {
      const outcome = await ensureAccount(access, role, await loadOrCreateSecret(layout.botPasswordFile(role)));
      if (outcome === "created") say(`registered the ${role} bot ${devBotUserId(role, settings)}`);
    }
    await writeFile(layout.havenConfigFile, devHavenConfig(layout, settings));
    // HAVEN_DATA_DIR names the data directory dev works in, not Haven's own (that is <dataDir>/dev/haven).
    const config = loadConfig({
      path: layout.havenConfigFile,
      env: { ...context.env, HAVEN_DATA_DIR: undefined },
      cwd: context.cwd,
    });
    // Synchronous writes, so that log lines and the block below reach stdout in the order they were made.
    const logger = createLogger(config.log.level, destination({ dest: 1, sync: true }));
    running.haven = await startHaven(config, logger);
    if (!requests.signal.aborted) {
      say(`ready after ${seconds(began)}`);
      context.stdout.write(readyBlock({ settings, intakeUserId: config.bots.intake.userId, layout }));
    }

    const hubExited = running.synapse.exited.then(() => "hub exited" as const);
    if ((await Promise.race([requests.stopped, hubExited])) === "hub exited") {
      context.stderr.write(
        `haven dev: the hub Synapse stopped unexpectedly.\n${await synapseLogTail(layout.hubDir)}\n`,
      );
      return exitCodes.failure;
    }
    say("stopping Haven and the hub Synapse");
    return exitCodes.ok;
  } finally {
    const haven = running.haven;
    const stopping = Date.now();
    if (haven && !(await stopWithin(() => haven.stop(), { timeoutMs: havenStopTimeoutMs }))) {
      context.stderr.write(`haven dev: Haven did not stop within ${havenStopTimeoutMs / 1000} s; exiting anyway\n`);
      // Whatever still runs in Haven would keep the process alive: leave once the exit code is set.
      setTimeout(() => process.exit(), 1_000).unref();
    } else if (haven) say(`Haven stopped after ${seconds(stopping)}`);
    if (running.synapse) {
      await running.synapse.stop();
      say(`hub Synapse stopped after ${seconds(stopping)}`);
    }
    await rm(layout.hubPidFile, { force: true });
    process.off("exit", killHub);
    requests.dispose();
    await release();
  }
}

async function waitForHealth(clientUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const healthy = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** `dev add-user <name>`: on the hub of a running `haven dev`, or on the stopped hub, started for the moment. */
async function addUser(context: CommandContext, layout: DevLayout, localpart: string): Promise<number> {
  const settings = await readDevHubSettings(layout);
  if (settings === undefined) throw new DevError(`there is no dev hub in ${layout.root} yet: run npm run dev first`);
  const access = await hubAccess(layout, settings);
  const print = (person: { userId: string; password: string }): void => {
    context.stdout.write(addedUserBlock({ settings, localpart, ...person }));
  };
  if ((await runningDevPid(layout)) !== undefined) {
    if (!(await waitForHealth(access.clientUrl, 60_000))) {
      throw new DevError(`haven dev is running but its hub at ${access.clientUrl} does not answer`);
    }
    print(await addPerson(access, localpart));
    return exitCodes.ok;
  }
  const release = await acquireDevLock(layout);
  let synapse: SynapseProcess | undefined;
  try {
    await stopLeftoverHub(layout);
    await prepareDevHub(layout, {});
    try {
      synapse = await startHub(layout, settings, context);
    } catch (error) {
      if (!(error instanceof SynapseStartError)) throw error;
      context.stderr.write(synapseFailure(error, layout));
      return exitCodes.failure;
    }
    print(await addPerson(access, localpart));
    return exitCodes.ok;
  } finally {
    await synapse?.stop();
    await rm(layout.hubPidFile, { force: true });
    await release();
  }
}

/** The embedded default: one local hub Synapse and Haven on it, on this machine, no Docker. */
export const dev: Command = {
  name: "dev",
  summary:
    "Run Haven on an embedded local hub Synapse (state in <dataDir>/dev/): npm run dev. `dev add-user <name>` adds a person.",
  async run(context) {
    const args = parseDevArgs(context.args);
    const layout = devLayout(devDataDir(context.env, context.cwd));
    return args.action === "add-user" ? addUser(context, layout, args.localpart) : runDev(context, layout, args);
  },
};
