import { resolve } from "node:path";
import { z } from "zod";
import type { LogLevel } from "../core/log/levels.ts";
import { databaseUrlProblem } from "./database-url.ts";
import { addressOrRange, duration, httpUrl, matrixUserId, nonEmptyString, port, serverName } from "./fields.ts";
import { show } from "./issues.ts";
import { serverNameOf } from "./matrix-names.ts";
import { secretField, type SecretCheck, type SecretSources } from "./secret-field.ts";
import { storageKeyProblem } from "./storage-key.ts";
import type { Config } from "./types.ts";
import { day, minute, type Milliseconds } from "./duration.ts";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace"] as const satisfies readonly LogLevel[];
type UnlistedLevel = Exclude<LogLevel, (typeof logLevels)[number]>;
// Compile error here if core/log gains a level this list lacks.
const _everyLevelListed: [UnlistedLevel] extends [never] ? true : UnlistedLevel = true;

/** What the schema reads besides the document: secret sources, and the data directory used when none is given. */
export interface ConfigSources extends SecretSources {
  readonly defaultDataDir: string;
}

/**
 * Haven's configuration schema: the one definition of what the config file may hold. Built per load because
 * secret fields resolve their references against `sources` while parsing. Input is the YAML document (camelCase
 * keys, unknown keys refused); output is a `Config`.
 */
export function havenConfigSchema(sources: ConfigSources) {
  const secret = (description: string, check?: SecretCheck) =>
    secretField(sources, check).optional().describe(description);

  const bot = (role: "intake" | "router", does: string) =>
    z
      .strictObject({
        userId: matrixUserId.describe(`Full Matrix user ID of the ${role} bot, on the hub server (@${role}:<hub>).`),
        password: secret(
          "Password of the account: logs in a new device and authorises uploading its cross-signing keys.",
        ),
        accessToken: secret("Access token of an existing login, used when the bot has no stored session yet."),
        deviceDisplayName: nonEmptyString
          .optional()
          .describe("Display name of the bot's device, shown to users verifying it."),
      })
      .refine((account) => account.password !== undefined || account.accessToken !== undefined, {
        error: "expected password or accessToken (at least one), found neither",
      })
      .describe(`The ${role} bot: ${does}`);

  const document = z.strictObject({
    dataDir: nonEmptyString
      .optional()
      .describe(
        "Directory for Haven's state (SQLite database, crypto stores, generated keys). Default: .haven/ in the project root.",
      ),
    log: z
      .strictObject({
        level: z
          .enum(logLevels)
          .default("info")
          .describe("Least severe level written, one of fatal, error, warn, info, debug, trace."),
      })
      .prefault({})
      .describe("Logging: JSON lines on stdout, credentials and message content redacted."),
    database: z
      .strictObject({
        url: secret(
          "Database URL: postgres:// or postgresql:// selects PostgreSQL, sqlite:<path> a SQLite file (a relative path is under dataDir). Default: SQLite at <dataDir>/haven.sqlite.",
          databaseUrlProblem,
        ),
      })
      .prefault({})
      .describe("Where Haven keeps its metadata (never message content)."),
    hub: z
      .strictObject({
        serverName: serverName.describe(
          "Matrix server name of the hub homeserver (the part after ':' in its user IDs), may include :port.",
        ),
        clientUrl: httpUrl.describe("Client-server API base URL of the hub homeserver, http(s)."),
        adminToken: secret("Access token of a hub server admin, for the Synapse admin API (purges)."),
      })
      .describe("The hub homeserver the bots live on."),
    bots: z
      .strictObject({
        intake: bot("intake", "talks with survivors in their encrypted DMs and opens case rooms."),
        router: bot("router", "offers cases to partner organisations' queue rooms."),
      })
      .describe("Bot accounts on the hub."),
    crypto: z
      .strictObject({
        storageKey: secret(
          "Key sealing the bots' crypto stores and session files, base64 of exactly 32 bytes. Default: generated into the data directory (then a seized data directory opens everything).",
          storageKeyProblem,
        ),
        recoveryKey: secret(
          "Secret-storage recovery key guarding the bots' cross-signing keys and key backup. Default: generated and kept sealed in the data directory.",
        ),
      })
      .prefault({})
      .describe("End-to-end encryption keys."),
    admin: z
      .strictObject({
        host: nonEmptyString.default("127.0.0.1").describe("Address the admin API listens on."),
        port: port.default(8090).describe("TCP port the admin API listens on, 1 to 65535."),
        bootstrapToken: secret(
          "Token that bootstraps the admin API: it authorises creating the first coordinator account.",
        ),
      })
      .prefault({})
      .describe("The admin HTTP API."),
    federation: z
      .strictObject({
        allowedServers: z
          .array(serverName)
          .describe("Matrix server names of the coalition's partner homeservers: the only servers Haven deals with."),
      })
      .describe("Federation allowlist."),
    retention: z
      .strictObject({
        defaultMaxLifetime: duration().describe(
          'Longest a message may live in a room unless a policy says otherwise: a number and a unit s, m, h or d ("30d"), from 1m to 365d.',
        ),
        graceAfterClose: duration(0 as Milliseconds)
          .prefault("7d")
          .describe("How long a closed case's rooms stay before they are deleted on the hub, from 0m to 365d."),
        mediaLifetime: duration()
          .optional()
          .describe(
            "Longest a media file may live, from 1m to 365d, never longer than defaultMaxLifetime. Default: defaultMaxLifetime.",
          ),
        metadataLifetime: duration(minute, (3650 * day) as Milliseconds)
          .prefault("365d")
          .describe(
            "How long after a case ends its metadata keeps the survivor's Matrix ID and room mappings before it is anonymised (counts and durations stay), from 1m to 3650d.",
          ),
        sweepInterval: duration()
          .prefault("5m")
          .describe("How often the retention worker sweeps every case, from 1m to 365d. It needs hub.adminToken."),
        requestsPerSecond: z
          .number()
          .positive()
          .max(1000)
          .default(5)
          .describe("Most requests per second the retention worker makes to the hub, so it never crowds live traffic."),
      })
      .refine((r) => r.mediaLifetime === undefined || r.mediaLifetime <= r.defaultMaxLifetime, {
        path: ["mediaLifetime"],
        error: "expected no longer than defaultMaxLifetime",
      })
      .describe(
        "Message retention: categories and organisations may only shorten these. The worker runs when hub.adminToken is set.",
      ),
    directory: z
      .strictObject({
        seedFile: nonEmptyString
          .optional()
          .describe(
            "YAML file of services imported on start when the service directory is empty (e.g. config/directory.sample.yaml). Later changes go through the admin API.",
          ),
      })
      .prefault({})
      .describe("The service directory survivors search."),
    routing: z
      .strictObject({
        organisationsFile: nonEmptyString
          .optional()
          .describe(
            "YAML file of partner organisations, the 24/7 fallback and the routing rules (see config/organisations.sample.yaml). Organisations and routing rules are imported when none were ever stored (then edited through the admin API); the fallback is read on every start. Without it the router does not run and cases wait.",
          ),
        monitorsRoomId: nonEmptyString
          .optional()
          .describe(
            "Room ID of the review team's encrypted alerts room; its members invite the router bot. Alerts are recorded even without it.",
          ),
        waitingPoll: duration(5_000 as Milliseconds, (60 * minute) as Milliseconds)
          .prefault("15s")
          .describe(
            "How often the router looks for cases still waiting to be offered, from 5s to 60m. A safety net for cases left waiting by a restart: the intake bot hands each new case to the router the moment it is ready.",
          ),
        monitorsLanguage: z
          .enum(["en", "km"])
          .default("en")
          .describe(
            "Language of the alerts and replies in the monitors' room (en or km). Each organisation's queue room uses that organisation's staffLanguage.",
          ),
      })
      .prefault({})
      .describe("Routing cases to partner organisations."),
    bridge: z
      .strictObject({
        maxMessageBytes: z
          .int()
          .min(1024)
          .max(1024 * 1024)
          .default(16 * 1024)
          .describe("Longest text relayed between a survivor and an organisation, in UTF-8 bytes (1 KiB to 1 MiB)."),
        mediaMaxBytes: z
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(25 * 1024 * 1024)
          .describe(
            "Largest photo, voice note, video or file relayed, in bytes (1 KiB to 100 MiB). Larger ones are refused with a clear message to the sender.",
          ),
        relayTyping: z
          .boolean()
          .default(true)
          .describe(
            "Show the other side that someone is typing (as the bridge bot, at most one typing update per room every 2 s).",
          ),
        relayReceipts: z
          .boolean()
          .default(true)
          .describe(
            "Show the other side that a relayed message was read: the bridge bot's read receipt on the original message.",
          ),
      })
      .prefault({})
      .describe("The bridge between a survivor's case room and the organisation that holds her case."),
    webchat: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Serve the branded web chat (needs hub.adminToken)."),
        host: nonEmptyString.default("127.0.0.1").describe("Address the web chat listens on."),
        port: port.default(8091).describe("TCP port the web chat listens on, 1 to 65535."),
        publicOrigin: httpUrl
          .optional()
          .describe(
            "The origin survivors open (https://chat.example.org behind the TLS proxy). Requests to the account and code endpoints must come from it. Default: http://<Host header>.",
          ),
        title: nonEmptyString
          .default("Chat")
          .describe('Page title shown in the browser tab and history: neutral ("Chat") or a disguise ("Notes").'),
        exitUrl: httpUrl
          .default("https://www.google.com/search?q=weather+phnom+penh")
          .describe("The neutral site quick exit goes to; it replaces the chat in the browser's history."),
        accountsPerAddressPerHour: z
          .int()
          .min(1)
          .default(5)
          .describe("New anonymous accounts one client address may create per hour."),
        accountsPerHour: z
          .int()
          .min(1)
          .default(300)
          .describe("New anonymous accounts per hour, all addresses together."),
        codeAttemptsPerAddressPerHour: z
          .int()
          .min(1)
          .default(20)
          .describe("Return-code attempts one client address may make per hour, right or wrong."),
        codeAttemptsPerHour: z
          .int()
          .min(1)
          .default(1000)
          .describe("Return-code attempts per hour, all addresses together."),
        trustedProxies: z
          .array(addressOrRange)
          .default([])
          .describe(
            "Reverse proxies in front of the web chat (addresses or ranges). Their X-Forwarded-For names the client address the per-address limits count; without this, every survivor behind a proxy shares the proxy's address.",
          ),
        codePepper: secret(
          "Secret mixed into the slow hash of return codes, base64 of 32 bytes. Default: generated into the data directory.",
          storageKeyProblem,
        ),
        assetsDir: nonEmptyString
          .optional()
          .describe("Directory of the built web app (npm run build:webchat). Default: webchat/dist in the project."),
      })
      .prefault({})
      .describe("The branded web chat: anonymous accounts, return codes, quick exit."),
  });

  return document.transform((parsed, ctx): Config => {
    for (const role of ["intake", "router"] as const) {
      const { userId } = parsed.bots[role];
      if (serverNameOf(userId) !== parsed.hub.serverName) {
        ctx.addIssue({
          code: "custom",
          path: ["bots", role, "userId"],
          message: `expected a user on the hub server ${parsed.hub.serverName}, found ${show(userId)}`,
        });
      }
    }
    if (parsed.webchat.enabled && parsed.hub.adminToken === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["hub", "adminToken"],
        message: "expected an admin token: the web chat creates its anonymous accounts through the Synapse admin API",
      });
    }
    const dataDir = resolve(sources.baseDir, parsed.dataDir ?? sources.defaultDataDir);
    const { assetsDir, ...webchat } = parsed.webchat;
    return {
      ...parsed,
      dataDir,
      webchat: { ...webchat, ...(assetsDir !== undefined && { assetsDir: resolve(sources.baseDir, assetsDir) }) },
    };
  });
}

export type ConfigSchema = ReturnType<typeof havenConfigSchema>;
