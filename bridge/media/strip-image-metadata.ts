// Images are decoded and encoded again: the new file carries pixels only, no EXIF (GPS, device, times), XMP, IPTC,
// ICC profile or comments. Orientation is applied to the pixels first, so the picture still stands the right way.
import sharp, { type Metadata } from "sharp";

// libvips keeps recent operations and their pixels (up to 50 MB) for reuse; here every image is hers and used
// once, so nothing of it is kept after its copy is made.
sharp.cache(false);

export type CleanImage = { bytes: Uint8Array<ArrayBuffer>; mimetype: string; width: number; height: number };

export type StrippedImage =
  | { ok: true; image: CleanImage }
  /** Not an image sharp can read and write (or a broken one). */
  | { ok: false; reason: "unreadable" }
  /** More pixels than it is safe to decode: a few kilobytes of PNG can unpack to gigabytes in memory. */
  | { ok: false; reason: "too-many-pixels" };

/** 100 megapixels: above every usual phone photo (12–50 MP) and about 400 MB decoded. */
export const maxImagePixels = 100_000_000;

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

/** The image without metadata, or why not. Checks the pixel count from the header before decoding anything. */
export async function stripImageMetadata(
  bytes: Uint8Array,
  maxPixels: number = maxImagePixels,
): Promise<StrippedImage> {
  let header: Metadata;
  try {
    header = await sharp(bytes, { failOn: "error" }).metadata();
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (header.width * header.height * (header.pages ?? 1) > maxPixels) return { ok: false, reason: "too-many-pixels" };
  // HEIF containers hold AVIF (which sharp writes back) or HEIC (which its libheif cannot decode: fails below).
  const format = header.format;
  const output = format === "heif" ? "avif" : keptFormats.has(format) ? format : "png";
  try {
    const animated = output === "gif" || output === "webp";
    const { data, info } = await sharp(bytes, { failOn: "error", animated, limitInputPixels: maxPixels })
      .autoOrient()
      .toFormat(output)
      .toBuffer({ resolveWithObject: true });
    const height = animated && info.pageHeight !== undefined ? info.pageHeight : info.height;
    const image = { bytes: new Uint8Array(data), mimetype: mimetypeByFormat[output]!, width: info.width, height };
    return { ok: true, image };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}
