// File names that say what kind of file it is and nothing else: an original name can identify its sender.
import type { MediaKind } from "./media-message.ts";

const extensionByMimetype: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/avif": "avif",
  "audio/ogg": "ogg",
  "audio/opus": "opus",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/aac": "aac",
  "audio/wav": "wav",
  "audio/webm": "weba",
  "video/mp4": "mp4",
  "video/quicktime": "mov",
  "video/webm": "webm",
  "video/3gpp": "3gp",
  "application/pdf": "pdf",
  "text/plain": "txt",
  "application/zip": "zip",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.ms-powerpoint": "ppt",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "application/vnd.oasis.opendocument.text": "odt",
};

/** "image.jpg", "voice-message.ogg", "video.mp4", "file.pdf"; just the stem when the type is unknown. */
export function neutralFileName(kind: MediaKind, voice: boolean, mimetype: string | undefined): string {
  const stem = voice ? "voice-message" : kind;
  const extension = mimetype === undefined ? undefined : extensionByMimetype[mimetype];
  return extension === undefined ? stem : `${stem}.${extension}`;
}
