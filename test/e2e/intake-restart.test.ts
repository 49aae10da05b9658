import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { translate } from "../../core/i18n/translate.ts";
import { BotProcess } from "../harness/bot-process.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { Survivor } from "../harness/survivor.ts";
import { Canaries, expectNoCanaries } from "../harness/canary.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";

/**
 * The real Haven process (`node bin/haven.ts start` with a config file), killed with SIGKILL in the middle of a
 * survivor's triage while she keeps writing: after the restart she goes on where she was and is asked nothing
 * twice. Her words never reach Haven's logs or data directory.
 */
describe("the Haven process restarted mid-triage", () => {
  let federation: Federation;
  let dir: string;
  let haven: BotProcess;
  let survivor: Survivor | undefined;
  const canaries = new Canaries();

  beforeAll(async () => {
    federation = await startFederation({ names: ["hub", "partner-a"] });
    dir = await mkdtemp(join(tmpdir(), "haven-process-"));
  });

  afterAll(async () => {
    await haven?.stop();
    await survivor?.stop();
    await federation?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("resumes her conversation where it was, asking nothing twice", async () => {
    const hub = federation.server("hub");
    const intake = await hub.registerUser("intake");
    const router = await hub.registerUser("router");
    const configPath = join(dir, "haven.yaml");
    await writeFile(
      configPath,
      stringify({
        dataDir: join(dir, "data"),
        log: { level: "debug" },
        hub: { serverName: hub.serverName, clientUrl: hub.clientUrl },
        bots: {
          intake: { userId: intake.userId, password: { env: "TEST_INTAKE_PASSWORD" } },
          router: { userId: router.userId, password: { env: "TEST_ROUTER_PASSWORD" } },
        },
        federation: { allowedServers: [federation.server("partner-a").serverName] },
        retention: { defaultMaxLifetime: "30d" },
        directory: { seedFile: resolve("config/directory.sample.yaml") },
      }),
    );
    haven = new BotProcess(
      "bin/haven.ts",
      { HAVEN_CONFIG: configPath, TEST_INTAKE_PASSWORD: intake.password, TEST_ROUTER_PASSWORD: router.password },
      {
        args: ["start"],
        readyFrom: (line) => (line.includes('"msg":"haven ready"') ? "ready" : undefined),
      },
    );
    await haven.start().ready;

    survivor = await Survivor.open(federation.server("partner-a"), intake.userId);
    await survivor.waitForBotMessages(1, "the first greeting");
    await survivor.say("2", translate("en", "menu.title"));
    await survivor.say("2", translate("en", "triage.kindQuestion"));
    await survivor.say(canaries.mark("my husband took my phone"), translate("en", "input.unknown"));
    await survivor.say("1", translate("en", "triage.provinceQuestion"));

    await haven.kill();
    const whileDown = survivor.botTexts().length;
    await survivor.person.client.sendTextMessage(survivor.roomId, "1");
    await haven.start().ready;
    await survivor.waitForReply(
      whileDown,
      translate("en", "triage.languageQuestion"),
      "the next question after the restart",
    );

    await survivor.say("1", translate("en", "triage.dangerQuestion"));
    await haven.kill();
    await haven.start().ready;
    await survivor.say("2", translate("en", "triage.ageQuestion"));
    await survivor.say("2", translate("en", "triage.consentQuestion"));
    const opened = (await survivor.say("1", translate("en", "menu.title"))).join("\n");
    expect(opened).toMatch(/[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/);

    const asked = survivor.botTexts();
    const times = (
      key:
        | "triage.kindQuestion"
        | "triage.provinceQuestion"
        | "triage.languageQuestion"
        | "triage.dangerQuestion"
        | "triage.ageQuestion"
        | "triage.consentQuestion",
    ) =>
      asked.filter((text) => text.startsWith(translate("en", key)) || text.includes(`\n${translate("en", key)}`))
        .length;
    expect(times("triage.kindQuestion")).toBe(2); // asked, then once more after the unclear answer
    for (const key of [
      "triage.provinceQuestion",
      "triage.languageQuestion",
      "triage.dangerQuestion",
      "triage.ageQuestion",
      "triage.consentQuestion",
    ] as const) {
      expect(times(key), key).toBe(1);
    }
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await haven.stop();
    expect(haven.output).toContain("haven ready");
    const database = await openHavenDatabase(join(dir, "data"));
    try {
      await expectNoCanaries(canaries, { dataDir: join(dir, "data"), log: haven.output, database }, 1);
    } finally {
      await database.close();
    }
  });
});
