// What every part of the bridge works with: the bot's client, the database, and the bridge's settings.
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { MatrixClient } from "matrix-js-sdk";
import type { Case, Database } from "../core/db/schema.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { isLocale, type Locale } from "../core/i18n/locales.ts";

export interface BridgeContext {
  client: MatrixClient;
  botUserId: string;
  db: Kysely<Database>;
  logger: Logger;
  now: () => number;
  organisation(orgId: string): Promise<Organisation | undefined>;
  retentionMs: number;
  /** Longest text relayed, in UTF-8 bytes; longer gets a clear refusal. */
  maxMessageBytes: number;
  /** Largest attachment relayed, in bytes; larger ones get a clear refusal. */
  mediaMaxBytes: number;
  /** True once the bridge is stopping: requests that fail are no longer retried. */
  stopping: () => boolean;
  /** Told of each relayed event: its direction and how long from its sending to its copy (for metrics). */
  onRelayed?: ((relayed: RelayedFigure) => void) | undefined;
}

/** One relay, as a figure: no ids, no content. */
export interface RelayedFigure {
  readonly from: "survivor" | "org";
  /** From the source event's origin_server_ts to the copy's being recorded. */
  readonly latencyMs: number;
}

export const localeOf = (theCase: Case): Locale => (isLocale(theCase.locale) ? theCase.locale : "en");

/** The language an organisation's staff read the bridge's lines in (English for an organisation no longer known). */
export async function staffLocaleOf(ctx: BridgeContext, orgId: string): Promise<Locale> {
  return (await ctx.organisation(orgId))?.staffLanguage ?? "en";
}

/** Whether the user is a member of the room now, as the bot's client sees it. */
export function hasJoined(client: MatrixClient, roomId: string, userId: string): boolean {
  return client.getRoom(roomId)?.getMember(userId)?.membership === "join";
}

const membershipsThatCount = new Set(["join", "invite"]);

/** Members (joined or invited) of a room, as the server says now. */
export async function currentMembers(ctx: BridgeContext, roomId: string): Promise<Set<string>> {
  const { chunk } = await ctx.client.members(roomId);
  return new Set(
    (chunk ?? [])
      .filter((event) => membershipsThatCount.has(String(event.content?.["membership"])))
      .map((event) => event.state_key),
  );
}
