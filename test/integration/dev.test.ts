import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensurePortFree } from "../../bin/dev/hub.ts";
import { devLayout } from "../../bin/dev/layout.ts";
import { botFiles, botStateDir } from "../../core/matrix/bot-files.ts";
import { HavenCommandProcess as DevProcess } from "../harness/haven-command.ts";
import { freePort, synapsePython } from "../harness/synapse.ts";

const havenBin = resolve(import.meta.dirname, "../../bin/haven.ts");

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runCli(
  args: readonly string[],
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [havenBin, ...args], { env, encoding: "utf8", stdio: "pipe" });
    return { code: 0, stdout, stderr: "" };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Whether the hub knows the account: its profile answers 200 (registered) or 404. */
async function userExists(clientUrl: string, userId: string): Promise<boolean> {
  const response = await fetch(`${clientUrl}/_matrix/client/v3/profile/${encodeURIComponent(userId)}`);
  if (response.status !== 200 && response.status !== 404) throw new Error(`profile: ${response.status}`);
  return response.status === 200;
}

/** Ends a run a failed test left behind: SIGINT, then SIGKILL after 30 s. */
async function endRun(run: DevProcess): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill("SIGINT");
  const timer = setTimeout(() => run.child.kill("SIGKILL"), 30_000);
  await run.exited;
  clearTimeout(timer);
}

describe("npm run dev: the embedded default", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let clientPort: number;
  let federationPort: number;
  const started: DevProcess[] = [];
  const synapsePids: number[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "haven-dev-"));
    env = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? tmpdir(),
      HAVEN_DATA_DIR: dataDir,
      HAVEN_SYNAPSE_PYTHON: synapsePython(),
    };
    clientPort = await freePort();
    federationPort = await freePort();
  });

  afterEach(async () => {
    for (const run of started) await endRun(run);
  });

  afterAll(async () => {
    for (const pid of synapsePids) if (running(pid)) process.kill(-pid, "SIGKILL");
    if (!process.env["HAVEN_KEEP_TEST_DIRS"]) await rm(dataDir, { recursive: true, force: true });
  });

  const layout = () => devLayout(dataDir);
  const clientUrl = () => `http://127.0.0.1:${clientPort}`;
  const intake = () => `@intake:localhost:${federationPort}`;
  const sessionFile = () => botFiles(botStateDir(layout().havenDataDir, intake())).session;
  let firstDeviceId: string;
  let firstSession: Buffer;

  it("starts one hub Synapse and Haven on it, prints how to try it, and stops both on SIGINT", async () => {
    const began = Date.now();
    const run = new DevProcess(
      ["dev", "--client-port", String(clientPort), "--federation-port", String(federationPort)],
      env,
    );
    started.push(run);
    const synapsePid = Number((await run.waitFor(/hub Synapse running \(pid (\d+)\)/))[1]);
    synapsePids.push(synapsePid);
    await run.waitFor(/"msg":"haven ready"/);
    await run.waitFor(/Stop: +Ctrl-C/);
    console.info(`dev ready after ${Date.now() - began} ms (first run)`);

    expect(run.stdout).toContain(`hub client URL    ${clientUrl()}`);
    expect(run.stdout).toContain(`hub server name   localhost:${federationPort}`);
    expect(run.stdout).toContain(`intake bot        ${intake()}`);
    expect(run.stdout).toContain("npm run dev -- add-user alice");
    expect((await fetch(`${clientUrl()}/health`)).status).toBe(200);
    expect(await userExists(clientUrl(), intake())).toBe(true);
    expect(await userExists(clientUrl(), `@router:localhost:${federationPort}`)).toBe(true);
    expect(await userExists(clientUrl(), `@nobody:localhost:${federationPort}`)).toBe(false);

    const [device] = run.logs("bot device ready").filter((entry) => entry["userId"] === intake());
    firstDeviceId = String(device?.["deviceId"]);
    expect(firstDeviceId).toMatch(/^[A-Z]+$/);
    firstSession = await readFile(sessionFile());

    for (const role of ["intake", "router"] as const) {
      const password = (await readFile(layout().botPasswordFile(role), "utf8")).trim();
      expect(run.stdout + run.stderr).not.toContain(password);
    }

    expect(await run.interrupt()).toBe(0);
    expect(run.stdout).toContain("dev: hub Synapse stopped");
    expect(running(synapsePid)).toBe(false);
    await ensurePortFree(clientPort, "--client-port");
    await ensurePortFree(federationPort, "--federation-port");
  });

  it("reuses the hub, the bot accounts and the bot's device on the next run, and adds a user while it runs", async () => {
    const began = Date.now();
    const run = new DevProcess(["dev"], env);
    started.push(run);
    const synapsePid = Number((await run.waitFor(/hub Synapse running \(pid (\d+)\)/))[1]);
    synapsePids.push(synapsePid);
    await run.waitFor(/Stop: +Ctrl-C/);
    console.info(`dev ready after ${Date.now() - began} ms (second run)`);

    expect(run.stdout).toContain(`reusing the dev hub localhost:${federationPort}`);
    expect(run.stdout).not.toContain("registered the intake bot");
    const [device] = run.logs("bot device ready").filter((entry) => entry["userId"] === intake());
    expect(device?.["deviceId"]).toBe(firstDeviceId);
    expect((await readFile(sessionFile())).equals(firstSession)).toBe(true);

    const added = runCli(["dev", "add-user", "alice"], env);
    expect(added.code).toBe(0);
    const password = added.stdout.match(/password +(\S+)/)?.[1] ?? "";
    const login = await fetch(`${clientUrl()}/_matrix/client/v3/login`, {
      method: "POST",
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "alice" }, password }),
    });
    expect(login.status).toBe(200);
    expect(runCli(["dev", "add-user", "alice"], env)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`@alice:localhost:${federationPort} already exists`) as unknown,
    });

    expect(await run.interrupt()).toBe(0);
    expect(running(synapsePid)).toBe(false);
  });

  it("adds a user to the stopped hub, starting its Synapse only for that", async () => {
    const added = runCli(["dev", "add-user", "bob"], env);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added @bob:localhost:${federationPort} to the dev hub`);
    await ensurePortFree(clientPort, "--client-port");
  });

  it("refuses to start on a port that is in use, naming it", async () => {
    const blocker = createServer();
    await new Promise<void>((resolveListen, reject) => {
      blocker.once("error", reject);
      blocker.listen(clientPort, "127.0.0.1", resolveListen);
    });
    try {
      const run = new DevProcess(["dev"], env);
      started.push(run);
      expect(await run.exited).toBe(1);
      expect(run.stderr).toContain(`port ${clientPort} on 127.0.0.1 is in use`);
    } finally {
      await new Promise((resolveClose) => blocker.close(resolveClose));
    }
  });

  it("exits non-zero with the tail of Synapse's log when the hub cannot start", async () => {
    const brokenDir = await mkdtemp(join(tmpdir(), "haven-dev-broken-"));
    try {
      const run = new DevProcess(
        ["dev", "--client-port", String(await freePort()), "--federation-port", String(await freePort())],
        { ...env, HAVEN_DATA_DIR: brokenDir, HAVEN_SYNAPSE_PYTHON: "python3" },
      );
      started.push(run);
      expect(await run.exited).toBe(1);
      expect(run.stderr).toContain("the hub Synapse did not start");
      expect(run.stderr).toContain("No module named");
    } finally {
      await rm(brokenDir, { recursive: true, force: true });
    }
  });
});
