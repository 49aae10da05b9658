// The content of the bridge's copy of a media message: built from scratch, so nothing of the original's content
// (names, captions, thumbnails, blurhashes, mentions, client-specific keys) comes along by accident.
import type { IEncryptedFile } from "matrix-encrypt-attachment";
import type { MediaKind } from "./media-message.ts";
import { neutralFileName } from "./neutral-name.ts";

export interface SanitisedAttachment {
  kind: MediaKind;
  voice: boolean;
  mimetype: string | undefined;
  size: number;
  width?: number | undefined;
  height?: number | undefined;
  durationMs?: number | undefined;
  /** The re-encrypted upload: its `url` is the new mxc URI. */
  file: IEncryptedFile & { url: string };
}

const msgtypeByKind: Readonly<Record<MediaKind, string>> = {
  image: "m.image",
  file: "m.file",
  audio: "m.audio",
  video: "m.video",
};

/** An `m.room.message` content: same msgtype, neutral body and filename, size facts only, the new `file`. */
export function relayedMediaContent(attachment: SanitisedAttachment): Record<string, unknown> {
  const name = neutralFileName(attachment.kind, attachment.voice, attachment.mimetype);
  const info: Record<string, unknown> = {
    ...(attachment.mimetype !== undefined && { mimetype: attachment.mimetype }),
    size: attachment.size,
    ...(attachment.width !== undefined && { w: attachment.width }),
    ...(attachment.height !== undefined && { h: attachment.height }),
    ...(attachment.durationMs !== undefined && { duration: attachment.durationMs }),
  };
  const { url, key, iv, hashes, v } = attachment.file;
  return {
    msgtype: msgtypeByKind[attachment.kind],
    body: name,
    filename: name,
    info,
    file: { url, key, iv, hashes, v },
    ...(attachment.voice && {
      "org.matrix.msc3245.voice": {},
      "org.matrix.msc1767.audio": attachment.durationMs === undefined ? {} : { duration: attachment.durationMs },
    }),
  };
}
