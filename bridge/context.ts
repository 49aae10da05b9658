// What every part of the bridge works with: the bot's client, the database, and the bridge's settings.
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { MatrixClient } from "matrix-js-sdk";
import type { Case, Database } from "../core/db/schema.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { isLocale, type Locale } from "../core/i18n/locales.ts";

/** The outcome of relaying one attachment: new content to send, or why it was refused. */
export type MediaRelayResult = { ok: true; content: Record<string, unknown> } | { ok: false; reason: string };

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
  /** Downloads, strips, re-encrypts and re-uploads an attachment; absent: attachments are refused as unsupported. */
  relayMedia?: (content: Record<string, unknown>) => Promise<MediaRelayResult>;
}

export const localeOf = (theCase: Case): Locale => (isLocale(theCase.locale) ? theCase.locale : "en");

/** Whether the user is a member of the room now, as the bot's client sees it. */
export function hasJoined(client: MatrixClient, roomId: string, userId: string): boolean {
  return client.getRoom(roomId)?.getMember(userId)?.membership === "join";
}
