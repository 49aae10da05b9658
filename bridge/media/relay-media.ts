// The bridge's copy of a media message: downloaded from the hub, decrypted, stripped of metadata, encrypted with
// a new key and uploaded again, all in memory. Nothing is written to disk and nothing of the content is logged.
import type { MatrixClient } from "matrix-js-sdk";
import { decryptAttachment, encryptAttachment } from "matrix-encrypt-attachment";
import type { Logger } from "pino";
import { downloadWithinLimit } from "./bounded-download.ts";
import { readMediaMessage } from "./media-message.ts";
import { relayedMediaContent } from "./relayed-content.ts";
import { sanitiseAttachment } from "./sanitise-attachment.ts";

export type MediaClient = Pick<MatrixClient, "mxcUrlToHttp" | "getAccessToken" | "uploadContent">;

export interface RelayMediaDeps {
  client: MediaClient;
  /** Largest attachment relayed, in bytes (encrypted and plain sizes are the same for AES-CTR). */
  maxBytes: number;
  logger: Logger;
  /** Longest a download, and separately an upload, may take (default one minute). */
  timeoutMs?: number;
  /** For tests that watch how much of a download was read; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export type RelayMediaFailure =
  /** Not a media message, no usable source, or an image that cannot be cleaned (e.g. HEIC). */
  | "unsupported"
  /** Over maxBytes (stated or counted), or an image with more pixels than is safe to decode. */
  | "too-large"
  | "download-failed"
  /** The ciphertext does not match its sha256, the key or IV are unusable, or it is not a v2 EncryptedFile. */
  | "decryption-failed"
  | "upload-failed";

export type RelayMediaResult =
  | {
      ok: true;
      /** `m.room.message` content for the copy (a sticker comes back as an m.image message). */
      content: Record<string, unknown>;
      /** Her caption, if any: message text, for the caller to relay like any other text. */
      caption: string | undefined;
    }
  | { ok: false; reason: RelayMediaFailure };

/** The bytes as an ArrayBuffer of their own (a view's buffer may hold more than the view). */
const ownBuffer = (bytes: Uint8Array<ArrayBuffer>): ArrayBuffer =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;

async function decrypt(
  source: NonNullable<ReturnType<typeof readMediaMessage>>["source"],
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (source.kind === "plain") return bytes;
  try {
    return new Uint8Array(await decryptAttachment(ownBuffer(bytes), source.file));
  } catch {
    return undefined;
  }
}

export async function relayMedia(
  deps: RelayMediaDeps,
  content: Record<string, unknown>,
  eventType = "m.room.message",
): Promise<RelayMediaResult> {
  const { logger } = deps;
  const refuse = (reason: RelayMediaFailure, facts: Record<string, unknown> = {}): RelayMediaResult => {
    logger.info({ reason, ...facts }, "media not relayed");
    return { ok: false, reason };
  };
  const message = readMediaMessage(eventType, content);
  if (message === undefined) return refuse("unsupported");
  const facts = { kind: message.kind, mimetype: message.mimetype, maxBytes: deps.maxBytes };
  if (message.declaredSize !== undefined && message.declaredSize > deps.maxBytes) {
    return refuse("too-large", { ...facts, declaredSize: message.declaredSize });
  }
  const timeoutMs = deps.timeoutMs ?? 60_000;
  const downloaded = await downloadWithinLimit(deps.client, message.source.mxc, {
    maxBytes: deps.maxBytes,
    timeoutMs,
    fetch: deps.fetch,
  });
  if (!downloaded.ok) return refuse(downloaded.reason, facts);
  const plaintext = await decrypt(message.source, downloaded.bytes);
  if (plaintext === undefined) return refuse("decryption-failed", facts);
  const clean = await sanitiseAttachment(message, plaintext);
  plaintext.fill(0);
  if (!clean.ok) return refuse(clean.reason, facts);
  const encrypted = await encryptAttachment(ownBuffer(clean.bytes));
  clean.bytes.fill(0);
  const ciphertext = new Uint8Array(encrypted.data);
  let uploaded: { content_uri: string };
  const abortController = new AbortController();
  const timer = setTimeout(() => abortController.abort(), timeoutMs);
  try {
    uploaded = await deps.client.uploadContent(ciphertext, {
      type: "application/octet-stream",
      includeFilename: false,
      abortController,
    });
  } catch (error) {
    logger.warn({ ...facts, err: error }, "media upload failed");
    return refuse("upload-failed", facts);
  } finally {
    clearTimeout(timer);
  }
  logger.info({ kind: message.kind, size: ciphertext.byteLength }, "media relayed");
  return {
    ok: true,
    caption: message.caption,
    content: relayedMediaContent({
      kind: message.kind,
      voice: message.voice,
      mimetype: clean.mimetype,
      size: ciphertext.byteLength,
      width: clean.width,
      height: clean.height,
      durationMs: message.durationMs,
      file: { ...encrypted.info, url: uploaded.content_uri },
    }),
  };
}
