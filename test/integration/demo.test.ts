// `npm run demo` end to end: started as a child process as a person would, used only through demo.json.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import type { DemoJson } from "../../bin/demo/demo-json.ts";
import { demoLayout, demoServerNames } from "../../bin/demo/layout.ts";
import { demoStaffLanguage } from "../../bin/demo/organisations.ts";
import { translate } from "../../core/i18n/translate.ts";
import { registerWithSharedSecret } from "../../bin/local-synapse/register.ts";
import { readHardenedConfig } from "../../bin/local-synapse/hardened.ts";
import { loginAs, startTestClient, TimelineRecorder, type TestClient } from "../harness/clients.ts";
import { HavenCommandProcess } from "../harness/haven-command.ts";
import { completeIntake } from "../harness/intake-journey.ts";
import { Survivor } from "../harness/survivor.ts";
import { synapsePython, type Homeserver, type RegisteredUser } from "../harness/synapse.ts";

/** A homeserver the demo runs, as the test harness's clients know one: reachable, and open to shared-secret sign-up. */
function demoHomeserver(
  name: string,
  entry: { serverName: string; clientUrl: string; registrationSharedSecret: string },
): Homeserver {
  let counter = 0;
  const notOurs = (): never => {
    throw new Error(`the demo runs ${name}; the test does not start or stop it`);
  };
  return {
    name,
    serverName: entry.serverName,
    clientUrl: entry.clientUrl,
    federationPort: Number(entry.serverName.split(":")[1]),
    dir: "",
    registrationSharedSecret: entry.registrationSharedSecret,
    running: true,
    async registerUser(localpart, opts = {}): Promise<RegisteredUser> {
      const username = localpart ?? `survivor${++counter}-${Date.now().toString(36)}`;
      const password = opts.password ?? `pw-${Math.random().toString(36).slice(2)}`;
      const account = await registerWithSharedSecret(entry.clientUrl, entry.registrationSharedSecret, {
        username,
        password,
        admin: opts.admin ?? false,
      });
      return { ...account, localpart: username, password };
    },
    stop: notOurs,
    start: notOurs,
    kill: notOurs,
  };
}

const server = z.strictObject({
  serverName: z.string(),
  clientUrl: z.url(),
  registrationSharedSecret: z.string().min(16),
});
/** The shape issue #8 fixes for demo.json, exactly: no key missing, none extra. */
const demoJsonContract = z.strictObject({
  hub: server,
  partners: z
    .array(
      server.extend({
        orgId: z.string(),
        queueRoomId: z.string().startsWith("!"),
        responders: z.array(z.strictObject({ userId: z.string().startsWith("@"), password: z.string() })).length(2),
      }),
    )
    .length(2),
  intakeBot: z.string().startsWith("@"),
  monitorsRoomId: z.string().startsWith("!"),
  admin: z.strictObject({ url: z.url(), token: z.string() }).nullable(),
});

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function endRun(run: HavenCommandProcess): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill("SIGINT");
  const timer = setTimeout(() => run.child.kill("SIGKILL"), 30_000);
  await run.exited;
  clearTimeout(timer);
}

describe("npm run demo: hub, two partners, sample organisations and Haven on one machine", () => {
  let dataDir: string;
  let env: Record<string, string>;
  const runs: HavenCommandProcess[] = [];
  const people: Array<TestClient | Survivor> = [];
  let first: DemoJson;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "haven-demo-"));
    env = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? tmpdir(),
      HAVEN_DATA_DIR: dataDir,
      HAVEN_SYNAPSE_PYTHON: synapsePython(),
    };
  });

  afterEach(async () => {
    await Promise.all(people.splice(0).map((person) => person.stop()));
    for (const run of runs) await endRun(run);
  });

  afterAll(async () => {
    if (!process.env["HAVEN_KEEP_TEST_DIRS"]) await rm(dataDir, { recursive: true, force: true });
  });

  const synapsePids = async (): Promise<number[]> =>
    Promise.all(
      demoServerNames.map(async (server) => Number(await readFile(demoLayout(dataDir).pidFile(server), "utf8"))),
    );

  it("is ready within 60 s; a new survivor completes an intake and a responder from demo.json claims her case", async () => {
    const run = new HavenCommandProcess(["demo"], env);
    runs.push(run);
    await run.waitFor(/demo: ready after/, 60_000);
    await run.waitFor(/Stop: +Ctrl-C/);
    first = demoJsonContract.parse(JSON.parse(await readFile(join(dataDir, "demo.json"), "utf8")));
    expect(first.intakeBot).toBe(`@intake:${first.hub.serverName}`);
    for (const partner of first.partners) {
      for (const responder of partner.responders)
        expect(responder.userId.endsWith(`:${partner.serverName}`)).toBe(true);
    }
    expect(run.stdout).toContain(first.hub.clientUrl);
    expect(run.stdout).toContain(first.intakeBot);
    const pids = await synapsePids();

    // One responder of each organisation watches her queue room, as Element would.
    const queues = await Promise.all(
      first.partners.map(async (partner) => {
        const server = demoHomeserver(partner.orgId, partner);
        const responder = partner.responders[0]!;
        const account = await loginAs(server, { ...responder, localpart: "", accessToken: "", deviceId: "" });
        const person = await startTestClient(server, account);
        people.push(person);
        const locale = demoStaffLanguage(partner.orgId);
        return { partner, person, locale, seen: new TimelineRecorder(person.client, partner.queueRoomId) };
      }),
    );
    const survivor = await Survivor.open(demoHomeserver("hub", first.hub), first.intakeBot);
    people.push(survivor);
    const code = await completeIntake(survivor);

    const offered = (queue: (typeof queues)[number]): boolean =>
      queue.seen
        .messages()
        .some((event) =>
          String(event.getContent().body).includes(translate(queue.locale, "staff.offer.new", { code })),
        );
    await Promise.race(queues.map((queue) => queue.seen.waitFor(`the offer of ${code}`, () => offered(queue), 60_000)));
    const queue = queues.find(offered)!;
    await queue.person.client.sendTextMessage(queue.partner.queueRoomId, `!claim ${code}`);
    await queue.seen.waitFor("the claim's confirmation", () =>
      queue.seen
        .messages()
        .some((event) =>
          String(event.getContent().body).startsWith(`✅ ${translate(queue.locale, "staff.room.name", { code })}`),
        ),
    );

    await Promise.all(people.splice(0).map((person) => person.stop()));
    // The admin API from demo.json: the bootstrap token lists the claimed case (metadata only).
    expect(first.admin).not.toBeNull();
    const cases = await fetch(`${first.admin!.url}/v1/cases`, {
      headers: { authorization: `Bearer ${first.admin!.token}` },
    });
    expect(cases.status).toBe(200);
    expect(JSON.stringify(await cases.json())).toContain(code);
    expect(await run.interrupt()).toBe(0);
    for (const pid of pids) expect(running(pid), `Synapse ${pid} after Ctrl-C`).toBe(false);
  });

  it("runs the three homeservers on the shipped hardened configs", async () => {
    for (const server of demoServerNames) {
      const file = join(demoLayout(dataDir).serverDir(server), "homeserver.yaml");
      const config = parse(await readFile(file, "utf8")) as Record<string, unknown>;
      const hardened = readHardenedConfig(server === "hub" ? "hub" : "partner");
      const { federation_domain_whitelist: _allowlist, ...settings } = hardened;
      expect(config).toMatchObject(settings);
    }
  });

  it("reuses the servers, accounts and rooms on the next run, and starts over with --fresh", async () => {
    const again = new HavenCommandProcess(["demo"], env);
    runs.push(again);
    await again.waitFor(/demo: ready after/, 60_000);
    expect(again.stdout).toContain("reusing the demo");
    expect(again.stdout).not.toContain("registered @");
    expect(demoJsonContract.parse(JSON.parse(await readFile(join(dataDir, "demo.json"), "utf8")))).toEqual(first);
    expect(await again.interrupt()).toBe(0);

    const fresh = new HavenCommandProcess(["demo", "--fresh"], env);
    runs.push(fresh);
    await fresh.waitFor(/demo: ready after/, 60_000);
    const next = demoJsonContract.parse(JSON.parse(await readFile(join(dataDir, "demo.json"), "utf8")));
    expect(next.monitorsRoomId).not.toBe(first.monitorsRoomId);
    expect(await fresh.interrupt()).toBe(0);
  });
});
