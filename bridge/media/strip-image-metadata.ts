// Images are decoded and encoded again: the new file carries pixels only, no EXIF (GPS, device, times), XMP, IPTC,
// ICC profile or comments. Orientation is applied to the pixels first, so the picture still stands the right way.
import sharp, { type FormatEnum } from "sharp";

export type CleanImage = { bytes: Uint8Array<ArrayBuffer>; mimetype: string; width: number; height: number };

/** Formats written back as themselves; anything else that sharp can read (TIFF, SVG, …) becomes PNG. */
const keptFormats = new Set(["jpeg", "png", "webp", "gif", "avif"]);
const mimetypeByFormat: Readonly<Record<string, string>> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  avif: "image/avif",
};

/** Whether sharp can decode these bytes as an image (whatever the sender said it was). */
export async function readableImageFormat(bytes: Uint8Array): Promise<string | undefined> {
  try {
    const { format } = await sharp(bytes, { failOn: "error" }).metadata();
    return format;
  } catch {
    return undefined;
  }
}

/** The image without metadata, or undefined when these bytes are not an image sharp can read and write. */
export async function stripImageMetadata(bytes: Uint8Array): Promise<CleanImage | undefined> {
  const format = await readableImageFormat(bytes);
  if (format === undefined) return undefined;
  // HEIF containers hold AVIF (which sharp writes back) or HEIC (which its libheif cannot decode: fails below).
  const output = format === "heif" ? "avif" : keptFormats.has(format) ? format : "png";
  try {
    const animated = output === "gif" || output === "webp";
    const { data, info } = await sharp(bytes, { failOn: "error", animated })
      .autoOrient()
      .toFormat(output as keyof FormatEnum | "avif")
      .toBuffer({ resolveWithObject: true });
    const height = animated && info.pageHeight !== undefined ? info.pageHeight : info.height;
    return {
      bytes: new Uint8Array(data),
      mimetype: mimetypeByFormat[output]!,
      width: info.width,
      height,
    };
  } catch {
    return undefined;
  }
}
