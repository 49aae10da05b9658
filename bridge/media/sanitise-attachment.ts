// Takes identifying metadata out of an attachment's plaintext, by what the bytes are rather than what the sender
// called them: a photo sent "as a file" still carries its GPS position. See docs/decisions/0016-media-metadata.md.
import type { MediaMessage } from "./media-message.ts";
import { hasId3v2Tag, stripId3Tags } from "./strip-id3-tags.ts";
import { readableImageFormat, stripImageMetadata } from "./strip-image-metadata.ts";
import { stripMp4Metadata } from "./strip-mp4-metadata.ts";
import { stripOpusTags } from "./strip-opus-tags.ts";

export type SanitisedBytes =
  | { ok: true; bytes: Uint8Array<ArrayBuffer>; mimetype: string | undefined; width?: number; height?: number }
  | { ok: false; reason: "unsupported" | "too-large" };

const isMp3 = (mimetype: string | undefined): boolean => mimetype === "audio/mpeg" || mimetype === "audio/mp3";

async function asImage(bytes: Uint8Array): Promise<SanitisedBytes> {
  const stripped = await stripImageMetadata(bytes);
  if (!stripped.ok) return { ok: false, reason: stripped.reason === "too-many-pixels" ? "too-large" : "unsupported" };
  const { image } = stripped;
  return { ok: true, bytes: image.bytes, mimetype: image.mimetype, width: image.width, height: image.height };
}

/**
 * Images (whatever their msgtype) are re-encoded, or refused when they cannot be: an image is never passed on
 * with its metadata. MP4/QuickTime audio and video lose their metadata boxes, Ogg Opus its comments, MP3 its ID3
 * tags. Everything else (documents, Ogg Vorbis, WebM) is passed on byte for byte.
 */
export async function sanitiseAttachment(message: MediaMessage, bytes: Uint8Array): Promise<SanitisedBytes> {
  const declaredImage = message.mimetype?.startsWith("image/") ?? false;
  if (message.kind === "image" || declaredImage || (await readableImageFormat(bytes)) !== undefined) {
    return asImage(bytes);
  }
  const mp4 = stripMp4Metadata(bytes);
  if (mp4 !== undefined) return { ok: true, bytes: mp4, mimetype: message.mimetype };
  const opus = stripOpusTags(bytes);
  if (opus !== undefined) return { ok: true, bytes: opus, mimetype: message.mimetype };
  if (hasId3v2Tag(bytes) || isMp3(message.mimetype)) {
    return { ok: true, bytes: stripId3Tags(bytes), mimetype: message.mimetype };
  }
  return { ok: true, bytes: new Uint8Array(bytes), mimetype: message.mimetype };
}
