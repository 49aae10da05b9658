// What the bridge makes of one message: pure functions over event content, no Matrix client, no database.
import { createHash } from "node:crypto";
import type { Locale } from "../core/i18n/locales.ts";
import { translate } from "../core/i18n/translate.ts";

/** A message the bridge may copy as text, or something it cannot relay yet (media, stickers, polls, …). */
export type RelayableContent = { kind: "text"; body: string; emote: boolean } | { kind: "unsupported" };

const textMsgtypes = new Set(["m.text", "m.notice", "m.emote"]);

/**
 * Element (and others) put a quote of the replied-to message at the top of `body` ("> <@her:hub> …"): that
 * quote names the quoted sender, so it is dropped before anything is relayed.
 */
export function stripReplyFallback(body: string): string {
  const lines = body.split("\n");
  if (!lines[0]?.startsWith(">")) return body;
  let index = 0;
  while (index < lines.length && lines[index]!.startsWith(">")) index++;
  if (lines[index] === "") index++;
  return lines.slice(index).join("\n");
}

/** Reads an m.room.message (or a sticker) as the bridge sees it. Only `body` is used: never formatted_body. */
export function readRelayable(type: string, content: Record<string, unknown>): RelayableContent | undefined {
  if (type === "m.sticker") return { kind: "unsupported" };
  if (type !== "m.room.message") return undefined;
  const msgtype = content["msgtype"];
  const body = content["body"];
  if (typeof msgtype !== "string") return undefined;
  if (!textMsgtypes.has(msgtype)) return { kind: "unsupported" };
  if (typeof body !== "string") return { kind: "unsupported" };
  const relatesTo = content["m.relates_to"] as { "m.in_reply_to"?: unknown; rel_type?: unknown } | undefined;
  const text = relatesTo?.["m.in_reply_to"] !== undefined ? stripReplyFallback(body) : body;
  return { kind: "text", body: text, emote: msgtype === "m.emote" };
}

/** A responder's line meant for her colleagues only: `!note …` (any case, leading spaces allowed). */
export function isStaffNote(body: string): boolean {
  return /^\s*!note(\s|$)/i.test(body);
}

/** An edit (m.replace) of an earlier message: not relayed in this version, so it is not relayed as a new one. */
export function isEdit(content: Record<string, unknown>): boolean {
  const relatesTo = content["m.relates_to"] as { rel_type?: unknown } | undefined;
  return relatesTo?.rel_type === "m.replace";
}

export function survivorToOrgText(locale: Locale, code: string, message: { body: string; emote: boolean }): string {
  return translate(locale, "staff.relay.fromSurvivor", { code, body: `${message.emote ? "* " : ""}${message.body}` });
}

export function orgToSurvivorText(counsellor: string, message: { body: string; emote: boolean }): string {
  return `${counsellor}: ${message.emote ? "* " : ""}${message.body}`;
}

export const unsupportedToOrgText = (locale: Locale, code: string): string =>
  translate(locale, "staff.relay.unsupported", { code });

/**
 * The transaction ID of the copy of `sourceEventId`: the same for every attempt, so a copy sent again after a
 * crash (by the same device) is the same event on the server.
 */
export function relayTxnId(sourceEventId: string, part = "relay"): string {
  return `bridge-${part}-${createHash("sha256").update(sourceEventId).digest("hex").slice(0, 40)}`;
}
