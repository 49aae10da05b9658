import type { LogLevel } from "../core/log/levels.ts";
import type { Milliseconds } from "./duration.ts";
import type { MatrixUserId } from "./matrix-names.ts";
import type { Secret } from "./secret.ts";

export type { Milliseconds } from "./duration.ts";
export type { MatrixUserId } from "./matrix-names.ts";
export type { LogLevel } from "../core/log/levels.ts";

/** A bot account on the hub. At least one of password and accessToken is set. */
export interface BotConfig {
  readonly userId: MatrixUserId;
  readonly password?: Secret;
  readonly accessToken?: Secret;
  readonly deviceDisplayName?: string;
}

/** Haven's loaded configuration: validated, defaults applied, paths absolute, secrets wrapped, deeply frozen. */
export interface Config {
  /** Absolute. */
  readonly dataDir: string;
  readonly log: { readonly level: LogLevel };
  readonly database: {
    /** Checked; opened by core/db's openDatabase. Unset: SQLite at <dataDir>/haven.sqlite. */
    readonly url?: Secret;
  };
  readonly hub: {
    readonly serverName: string;
    /** No trailing slash. */
    readonly clientUrl: string;
    readonly adminToken?: Secret;
  };
  readonly bots: { readonly intake: BotConfig; readonly router: BotConfig };
  readonly crypto: { readonly storageKey?: Secret; readonly recoveryKey?: Secret };
  readonly admin: { readonly host: string; readonly port: number; readonly bootstrapToken?: Secret };
  readonly federation: { readonly allowedServers: readonly string[] };
  readonly retention: {
    readonly defaultMaxLifetime: Milliseconds;
    readonly graceAfterClose: Milliseconds;
    readonly mediaLifetime?: Milliseconds;
    readonly metadataLifetime: Milliseconds;
    readonly sweepInterval: Milliseconds;
    readonly requestsPerSecond: number;
  };
  /** Absolute path of a directory YAML imported when the service directory is empty. */
  readonly directory: { readonly seedFile?: string };
  /** organisationsFile is absolute. */
  readonly routing: {
    readonly organisationsFile?: string;
    readonly monitorsRoomId?: string;
    readonly waitingPoll: Milliseconds;
    readonly monitorsLanguage: "en" | "km";
  };
  readonly bridge: {
    readonly maxMessageBytes: number;
    readonly mediaMaxBytes: number;
    readonly relayTyping: boolean;
    readonly relayReceipts: boolean;
  };
  /** assetsDir is absolute. */
  readonly webchat: {
    readonly enabled: boolean;
    readonly host: string;
    readonly port: number;
    readonly publicOrigin?: string;
    readonly title: string;
    readonly exitUrl: string;
    readonly accountsPerAddressPerHour: number;
    readonly accountsPerHour: number;
    readonly codeAttemptsPerAddressPerHour: number;
    readonly codeAttemptsPerHour: number;
    readonly trustedProxies: readonly string[];
    readonly codePepper?: Secret;
    readonly assetsDir?: string;
  };
}
