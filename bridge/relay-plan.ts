// What the bridge does with one event from one side: pure, over the event's type and decrypted content.
import { readRelayable } from "./relay-content.ts";

export type TextMsgtype = "m.text" | "m.notice" | "m.emote";

/** One thing to do on the other side. Event IDs here are the source side's; the bridge maps them across. */
export type RelayPlan =
  | { kind: "message"; msgtype: TextMsgtype; body: string; replyTo?: string }
  | { kind: "edit"; of: string; msgtype: TextMsgtype; body: string }
  | { kind: "reaction"; of: string; key: string }
  | { kind: "redaction"; of: string }
  | { kind: "media"; content: Record<string, unknown> }
  | { kind: "unsupported" };

const mediaMsgtypes = new Set(["m.image", "m.file", "m.audio", "m.video"]);

/** Event types that never carry anything for the other side. */
const ignoredTypes = new Set(["m.room.encrypted", "m.call.candidates", "m.call.select_answer", "m.call.negotiate"]);

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const eventIdOf = (value: unknown): string | undefined =>
  typeof value === "string" && value.startsWith("$") ? value : undefined;

function textMsgtype(msgtype: unknown): TextMsgtype {
  return msgtype === "m.notice" || msgtype === "m.emote" ? msgtype : "m.text";
}

/**
 * Reads one non-state timeline event. `redacts` is the redaction's target (top level before room version 11,
 * in content from 11 on). Returns undefined for what is not relayed at all; never drops a message silently:
 * what cannot be relayed becomes `unsupported`, which the other side sees as a notice.
 */
export function planRelay(type: string, content: Record<string, unknown>, redacts?: string): RelayPlan | undefined {
  if (type === "m.room.redaction") {
    const of = eventIdOf(redacts) ?? eventIdOf(content["redacts"]);
    return of === undefined ? undefined : { kind: "redaction", of };
  }
  const relation = asRecord(content["m.relates_to"]);
  if (type === "m.reaction") {
    const of = eventIdOf(relation?.["event_id"]);
    const key = relation?.["key"];
    if (relation?.["rel_type"] !== "m.annotation" || of === undefined || typeof key !== "string") return undefined;
    return { kind: "reaction", of, key: key.slice(0, 64) };
  }
  if (ignoredTypes.has(type)) return undefined;
  if (type !== "m.room.message") return { kind: "unsupported" };
  if (Object.keys(content).length === 0) return undefined; // a redacted message
  if (relation?.["rel_type"] === "m.replace") {
    const of = eventIdOf(relation["event_id"]);
    const replacement = asRecord(content["m.new_content"]);
    const text = replacement && readRelayable(type, replacement);
    if (of === undefined || text?.kind !== "text") return undefined;
    return { kind: "edit", of, msgtype: textMsgtype(replacement!["msgtype"]), body: text.body };
  }
  const msgtype = content["msgtype"];
  if (typeof msgtype === "string" && mediaMsgtypes.has(msgtype)) return { kind: "media", content };
  const text = readRelayable(type, content);
  if (text?.kind !== "text") return { kind: "unsupported" };
  const replyTo = eventIdOf(asRecord(relation?.["m.in_reply_to"])?.["event_id"]);
  return { kind: "message", msgtype: textMsgtype(msgtype), body: text.body, ...(replyTo && { replyTo }) };
}

/** Matrix user IDs in a body: a mention can tell the other side who someone is on Matrix. */
const userIdPattern = /@[a-z0-9._=\-/+]+:[a-z0-9.-]+(?::\d+)?/gi;

export function stripUserIds(body: string): string {
  return body.replace(userIdPattern, "[…]");
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
