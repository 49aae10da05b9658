import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { stripImageMetadata, type CleanImage } from "../../../../bridge/media/strip-image-metadata.ts";
import { exifHasGps, metadataTraces, photoWithGps } from "../../../harness/photos.ts";

/** The cleaned image, failing the test if there is none. */
async function cleaned(bytes: Uint8Array): Promise<CleanImage> {
  const stripped = await stripImageMetadata(bytes);
  if (!stripped.ok) throw new Error(`not cleaned: ${stripped.reason}`);
  return stripped.image;
}

describe("bridge media: image metadata", () => {
  it("keeps nothing of an image in libvips' operation cache once cleaned", async () => {
    await cleaned(await photoWithGps("jpeg"));
    const { memory, items } = sharp.cache();
    expect([memory.current, items.current]).toEqual([0, 0]);
  });

  for (const [format, mimetype] of [
    ["jpeg", "image/jpeg"],
    ["png", "image/png"],
    ["webp", "image/webp"],
    ["avif", "image/avif"],
  ] as const) {
    it(`takes GPS EXIF, XMP and the ICC profile out of a ${format}, keeping its format`, async () => {
      const photo = await photoWithGps(format);
      const before = await sharp(photo).metadata();
      expect(before.exif && exifHasGps(before.exif)).toBe(true);
      expect(before.xmp).toBeDefined();
      expect(before.icc).toBeDefined();
      expect(metadataTraces(photo).length).toBeGreaterThan(0);

      const clean = await cleaned(photo);

      expect(clean.mimetype).toBe(mimetype);
      const after = await sharp(clean.bytes).metadata();
      expect(after.exif).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      expect(after.icc).toBeUndefined();
      expect(metadataTraces(clean.bytes)).toEqual([]);
    });
  }

  it("drops PNG text chunks (author, comments)", async () => {
    const png = await photoWithGps("png");
    const data = Buffer.from("Author\0HavenTestAuthor", "latin1");
    const chunk = Buffer.alloc(12 + data.length);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write("tEXt", 4, "latin1");
    data.copy(chunk, 8);
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
    const afterHeader = 8 + 25; // signature, IHDR
    const withText = Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
    expect((await sharp(withText).metadata()).comments).toEqual([{ keyword: "Author", text: "HavenTestAuthor" }]);

    const clean = await cleaned(withText);

    expect((await sharp(clean.bytes).metadata()).comments).toBeUndefined();
    expect(metadataTraces(clean.bytes)).toEqual([]);
  });

  it("applies the orientation to the pixels, so the picture still stands the right way", async () => {
    const photo = await photoWithGps("jpeg");
    expect(await sharp(photo).metadata()).toMatchObject({ width: 40, height: 20, orientation: 6 });

    const clean = await cleaned(photo);

    expect(clean).toMatchObject({ width: 20, height: 40 });
    const after = await sharp(clean.bytes).metadata();
    expect(after).toMatchObject({ width: 20, height: 40 });
    expect(after.orientation).toBeUndefined();
  });

  it("keeps every frame of an animated GIF", async () => {
    const frame = (red: number) =>
      sharp({ create: { width: 8, height: 6, channels: 3, background: { r: red, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame(0), await frame(120), await frame(250)], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(3);

    const clean = await cleaned(gif);

    expect(clean).toMatchObject({ mimetype: "image/gif", width: 8, height: 6 });
    expect((await sharp(clean.bytes, { animated: true }).metadata()).pages).toBe(3);
  });

  it("turns formats it does not write back (TIFF) into PNG", async () => {
    const tiff = await photoWithGps("tiff");
    const clean = await cleaned(tiff);
    expect(clean.mimetype).toBe("image/png");
    expect((await sharp(clean.bytes).metadata()).exif).toBeUndefined();
  });

  it("gives up on bytes that are not an image it can read", async () => {
    const unreadable = { ok: false, reason: "unreadable" };
    expect(await stripImageMetadata(new TextEncoder().encode("%PDF-1.7 not a picture"))).toEqual(unreadable);
    const photo = await photoWithGps("jpeg");
    expect(await stripImageMetadata(photo.subarray(0, 200))).toEqual(unreadable);
  });

  it("refuses to decode more pixels than the limit, reading only the header", async () => {
    const photo = await photoWithGps("png");
    expect(await stripImageMetadata(photo, 40 * 20 - 1)).toEqual({ ok: false, reason: "too-many-pixels" });
    expect((await stripImageMetadata(photo, 40 * 20)).ok).toBe(true);
  });
});
