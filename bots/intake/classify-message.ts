import { EventType, MsgType, type MatrixEvent } from "matrix-js-sdk";
import type { Input } from "./dialogue.ts";

/**
 * Far larger than any answer to a menu; refused with a clear word rather than parsed. (Synapse refuses events
 * over 64 KiB before they reach us, encryption adds a third, so this is the largest text that can arrive whole
 * with room to spare.)
 */
export const maxTextBytes = 16 * 1024;

const textTypes: readonly string[] = [MsgType.Text, MsgType.Notice, MsgType.Emote];

/**
 * What the dialogue sees of a message. Only `body` is read (never `formatted_body`: nothing a user sends is
 * rendered as HTML). Undefined: not something to answer (a reaction, a redaction, an unknown event).
 */
export function classifyMessage(event: MatrixEvent): Input | undefined {
  if (event.getType() === (EventType.Sticker as string)) return { kind: "not-text" };
  if (event.getType() !== (EventType.RoomMessage as string)) return undefined;
  const content: { msgtype?: unknown; body?: unknown; "m.relates_to"?: { rel_type?: unknown } } = event.getContent();
  if (content["m.relates_to"]?.rel_type === "m.replace") return { kind: "edit" };
  if (typeof content.msgtype !== "string" || !textTypes.includes(content.msgtype)) return { kind: "not-text" };
  if (typeof content.body !== "string") return { kind: "not-text" };
  if (Buffer.byteLength(content.body, "utf8") > maxTextBytes) return { kind: "too-long" };
  return { kind: "text", text: content.body };
}
