import type { Kysely } from "kysely";
import type { Database } from "../core/db/schema.ts";
import type { RetentionPolicy } from "../core/retention/policy.ts";
import type { RateLimits } from "./rate-limit.ts";

/** What the homeserver's federation API said about an OpenID token. */
export type OpenidUserinfo = { ok: true; userId: string } | { ok: false; reason: string };

/** One check behind `GET /readyz` (a homeserver reachable, a bot syncing). */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

/** In-process figures the Haven process passes in (admin/ does not depend on bots/ or bridge/). */
export interface LiveFigures {
  /** The latest relays (a bounded window), each with its direction and seconds from sending to copy. */
  readonly relayLatencies?: (() => readonly { from: "survivor" | "org"; seconds: number }[]) | undefined;
  /** Each bot's sync: seconds behind the newest live event, and since its last sync response (null: none yet). */
  readonly botSync?:
    (() => readonly { bot: string; lagSeconds: number | null; lastSyncAgeSeconds: number | null }[]) | undefined;
}

export type CaseActionResult = { ok: true } | { ok: false; reason: "not-found" | "conflict"; detail: string };

/** Everything the admin API uses, passed in by the composition root (bin/haven-process.ts) or a test. */
export interface AdminDeps {
  readonly db: Kysely<Database>;
  readonly now: () => number;
  /** Server names of the coalition (hub included): the only ones Sign in with Matrix accepts. */
  readonly coalitionServers: readonly string[];
  /** Asks `serverName`'s federation API who owns an OpenID token. */
  readonly openidUserinfo: (serverName: string, accessToken: string) => Promise<OpenidUserinfo>;
  /** The operator's bootstrap superadmin token from the config; unset when none is configured. */
  readonly bootstrapToken?: string | undefined;
  /** The router's 24/7 fallback (config); unset when routing is not configured. Rules are in the database. */
  readonly routing?: { readonly fallbackOrgId: string } | undefined;
  /**
   * The hub's retention policy (config), which overrides may only shorten; `policyChanged` tells the retention
   * worker to sweep now, so that rooms get the new `m.room.retention` without waiting for its next run.
   */
  readonly retention?: { readonly hubPolicy: RetentionPolicy; readonly policyChanged?: () => void } | undefined;
  /** Erases a case everywhere (rooms, messages, metadata): supplied by the retention capability when it exists. */
  readonly eraseCase?: ((caseCode: string, actor: string) => Promise<CaseActionResult>) | undefined;
  readonly readiness?: readonly ReadinessCheck[] | undefined;
  /** Figures only the running bots and bridge know, read at each scrape of `GET /v1/metrics`. */
  readonly liveFigures?: LiveFigures | undefined;
  /** The address of the peer that sent the request; tests pass their own. */
  readonly clientAddress?: ((request: Request, env: unknown) => string) | undefined;
  readonly rateLimits?: Partial<RateLimits> | undefined;
  /** How long a session token from Sign in with Matrix lives. Default 1 hour. */
  readonly sessionTtlMs?: number | undefined;
  /** Where unexpected errors are reported (metadata only). */
  readonly logError?: ((fields: Record<string, unknown>, message: string) => void) | undefined;
}
