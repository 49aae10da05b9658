// A Haven process against a test federation, as the e2e journeys start it: config and organisations files,
// the bot accounts, and a survivor's triage up to her case code.
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { translate } from "../../core/i18n/translate.ts";
import { categories, provinces } from "../../core/directory/index.ts";
import { BotProcess } from "./bot-process.ts";
import type { Federation, RegisteredUser } from "./synapse.ts";
import type { Survivor } from "./survivor.ts";

const n = (list: readonly string[], item: string): string => String(list.indexOf(item) + 1);

export const partnerOrganisation = (
  id: string,
  server: string,
  responder: string,
  options: { claimSlaMs?: number; replySlaMs?: number } = {},
) => ({
  id,
  name: { km: `អង្គការ ${id}`, en: `Organisation ${id}` },
  shortName: { km: id, en: id.toUpperCase() },
  homeserver: server,
  responders: [responder],
  categories: ["domestic_violence", "legal_aid"],
  provinces: ["nationwide"],
  languages: ["km", "en"],
  alwaysOpen: true,
  capacity: { maxActiveCases: 20, maxActivePerResponder: 20 },
  claimSlaMs: options.claimSlaMs ?? 60_000,
  replySlaMs: options.replySlaMs ?? 600_000,
  childProtection: true,
});

export interface HavenSetup {
  haven: BotProcess;
  dataDir: string;
  intake: RegisteredUser;
  router: RegisteredUser;
}

/** Writes the files and returns the Haven process (not started yet). `routingConfig`: more of the config's `routing`. */
export async function havenSetup(
  federation: Federation,
  dir: string,
  routing: { organisations: unknown[]; rules: unknown[]; fallbackOrganisation: string },
  routingConfig: Record<string, unknown> = {},
): Promise<HavenSetup> {
  const hub = federation.server("hub");
  const intake = await hub.registerUser("intake");
  const router = await hub.registerUser("router");
  const orgsFile = join(dir, "organisations.yaml");
  await writeFile(orgsFile, stringify(routing));
  const configPath = join(dir, "haven.yaml");
  const dataDir = join(dir, "data");
  await writeFile(
    configPath,
    stringify({
      dataDir,
      // Everything Haven logs, so that the canary check (test/harness/canary.ts) searches the most it can.
      log: { level: "debug" },
      hub: { serverName: hub.serverName, clientUrl: hub.clientUrl },
      bots: {
        intake: { userId: intake.userId, password: { env: "TEST_INTAKE_PASSWORD" } },
        router: { userId: router.userId, password: { env: "TEST_ROUTER_PASSWORD" } },
      },
      federation: { allowedServers: federation.servers.slice(1).map((s) => s.serverName) },
      retention: { defaultMaxLifetime: "30d" },
      directory: { seedFile: resolve("config/directory.sample.yaml") },
      routing: { ...routingConfig, organisationsFile: orgsFile },
    }),
  );
  const haven = new BotProcess(
    "bin/haven.ts",
    { HAVEN_CONFIG: configPath, TEST_INTAKE_PASSWORD: intake.password, TEST_ROUTER_PASSWORD: router.password },
    { args: ["start"], readyFrom: (line) => (line.includes('"msg":"haven ready"') ? "ready" : undefined) },
  );
  return { haven, dataDir, intake, router };
}

/** An English-speaking survivor asks for help with domestic violence in Phnom Penh; returns her case code. */
export async function triage(survivor: Survivor): Promise<string> {
  await triageUpToConsent(survivor);
  return giveConsent(survivor);
}

/** Every triage answer but the last: the bot is now asking for her consent. */
export async function triageUpToConsent(survivor: Survivor): Promise<void> {
  await survivor.waitForBotMessages(1, "the greeting");
  await survivor.say("2", translate("en", "menu.title"));
  await survivor.say("2", translate("en", "triage.kindQuestion"));
  await survivor.say(n(categories, "domestic_violence"), translate("en", "triage.provinceQuestion"));
  await survivor.say(n(provinces, "phnom_penh"), translate("en", "triage.languageQuestion"));
  await survivor.say("0", translate("en", "triage.dangerQuestion"));
  await survivor.say("2", translate("en", "triage.ageQuestion"));
  await survivor.say("2", translate("en", "triage.consentQuestion"));
}

/** The last triage answer, which opens her case; returns its code. */
export async function giveConsent(survivor: Survivor): Promise<string> {
  const opened = (await survivor.say("1", translate("en", "menu.title"))).join("\n");
  return /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(opened)![0];
}
