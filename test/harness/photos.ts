// Pictures as a phone would send them: with the place they were taken (GPS EXIF), the device, the author (XMP)
// and a colour profile. Made in memory with sharp.
import sharp, { type FormatEnum } from "sharp";

export const secretMake = "HavenTestPhone";
export const secretAuthor = "HavenTestAuthor";

const xmp =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  `<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${secretAuthor}</dc:creator>` +
  "</rdf:Description></rdf:RDF></x:xmpmeta>";

/** A 40×20 picture taken in Phnom Penh, stored rotated (EXIF orientation 6: shown as 20×40). */
export async function photoWithGps(format: keyof FormatEnum | "avif" = "jpeg"): Promise<Uint8Array<ArrayBuffer>> {
  const data = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 180, g: 40, b: 20 } } })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: secretMake, Model: "Model 7" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "11/1 33/1 24/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "104/1 55/1 12/1",
      },
    })
    .withXmp(xmp)
    .withIccProfile("p3")
    .toFormat(format)
    .toBuffer();
  return new Uint8Array(data);
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1");

/** The GPS IFD pointer tag (0x8825) as it is written in a big- or little-endian EXIF block. */
export function exifHasGps(exif: Uint8Array): boolean {
  const text = latin1(exif);
  return text.includes("\x88\x25") || text.includes("\x25\x88");
}

/** Any trace of metadata in the file's bytes: an EXIF or XMP block, or the device and author names. */
export function metadataTraces(bytes: Uint8Array): string[] {
  const text = latin1(bytes);
  return ["Exif\0", "eXIf", "http://ns.adobe.com/xap", "adobe:ns:meta", secretMake, secretAuthor].filter((trace) =>
    text.includes(trace),
  );
}
