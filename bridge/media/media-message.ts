// What a media message says about its attachment: pure reading of event content, no Matrix client.
import type { IEncryptedFile } from "matrix-encrypt-attachment";

export type MediaKind = "image" | "file" | "audio" | "video";

/** Where the attachment lives on the hub: encrypted (`file`, the usual case in Haven's rooms) or plain (`url`). */
export type MediaSource = { kind: "encrypted"; mxc: string; file: IEncryptedFile } | { kind: "plain"; mxc: string };

export interface MediaMessage {
  kind: MediaKind;
  /** An MSC3245 voice message (a recorded voice note rather than an audio file). */
  voice: boolean;
  source: MediaSource;
  /** The sender's claim, used only to refuse early; the download is measured anyway. */
  declaredSize: number | undefined;
  /** Normalised (`type/subtype`, lower case, no parameters), or undefined when absent or malformed. */
  mimetype: string | undefined;
  durationMs: number | undefined;
  /** Her words under the attachment (Matrix 1.10 captions): `body` when a separate `filename` is given. */
  caption: string | undefined;
}

const kindByMsgtype: Readonly<Record<string, MediaKind>> = {
  "m.image": "image",
  "m.file": "file",
  "m.audio": "audio",
  "m.video": "video",
};

const mxcPattern = /^mxc:\/\/[A-Za-z0-9.:[\]-]+\/[A-Za-z0-9_-]+$/;
const mimetypePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const nonNegative = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;

/** `image/JPEG; charset=x` → `image/jpeg`; anything that is not a plain media type → undefined. */
export function normaliseMimetype(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const bare = value.split(";")[0]!.trim().toLowerCase();
  return mimetypePattern.test(bare) && bare.length <= 100 ? bare : undefined;
}

function readEncryptedFile(value: unknown): MediaSource | undefined {
  if (!isRecord(value) || typeof value["url"] !== "string" || !mxcPattern.test(value["url"])) return undefined;
  const key = value["key"];
  const hashes = value["hashes"];
  if (!isRecord(key) || typeof key["k"] !== "string" || typeof value["iv"] !== "string") return undefined;
  if (!isRecord(hashes) || typeof hashes["sha256"] !== "string") return undefined;
  return { kind: "encrypted", mxc: value["url"], file: value as unknown as IEncryptedFile };
}

function readSource(content: Record<string, unknown>): MediaSource | undefined {
  if (content["file"] !== undefined) return readEncryptedFile(content["file"]);
  const url = content["url"];
  return typeof url === "string" && mxcPattern.test(url) ? { kind: "plain", mxc: url } : undefined;
}

/**
 * Reads an `m.room.message` with msgtype m.image / m.file / m.audio / m.video, or an `m.sticker` (read as an
 * image). Undefined when it is no media message or names no usable source.
 */
export function readMediaMessage(type: string, content: Record<string, unknown>): MediaMessage | undefined {
  let kind: MediaKind | undefined;
  if (type === "m.sticker") kind = "image";
  else if (type === "m.room.message" && typeof content["msgtype"] === "string")
    kind = kindByMsgtype[content["msgtype"]];
  if (kind === undefined) return undefined;
  const source = readSource(content);
  if (source === undefined) return undefined;
  const info = isRecord(content["info"]) ? content["info"] : {};
  const body = content["body"];
  const filename = content["filename"];
  const hasCaption =
    type !== "m.sticker" && typeof body === "string" && typeof filename === "string" && body !== filename;
  return {
    kind,
    voice: kind === "audio" && content["org.matrix.msc3245.voice"] !== undefined,
    source,
    declaredSize: nonNegative(info["size"]),
    mimetype: normaliseMimetype(info["mimetype"]),
    durationMs: nonNegative(info["duration"]),
    caption: hasCaption && body.trim() !== "" ? body : undefined,
  };
}
