import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { MediaKind, MediaMessage } from "../../../../bridge/media/media-message.ts";
import { sanitiseAttachment } from "../../../../bridge/media/sanitise-attachment.ts";
import { metadataTraces, photoWithGps } from "../../../harness/photos.ts";

const message = (kind: MediaKind, mimetype: string | undefined): MediaMessage => ({
  kind,
  voice: false,
  source: { kind: "plain", mxc: "mxc://hub/abc" },
  declaredSize: undefined,
  mimetype,
  durationMs: undefined,
  caption: undefined,
});

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

describe("bridge media: cleaning an attachment by what it is", () => {
  it("re-encodes a photo sent as an image", async () => {
    const clean = await sanitiseAttachment(message("image", "image/jpeg"), await photoWithGps("jpeg"));
    expect(clean).toMatchObject({ ok: true, mimetype: "image/jpeg", width: 20, height: 40 });
    if (clean.ok) expect(metadataTraces(clean.bytes)).toEqual([]);
  });

  it("re-encodes a photo sent as a file, even one that claims to be something else", async () => {
    const clean = await sanitiseAttachment(message("file", "application/octet-stream"), await photoWithGps("png"));
    expect(clean).toMatchObject({ ok: true, mimetype: "image/png" });
    if (clean.ok) expect((await sharp(clean.bytes).metadata()).exif).toBeUndefined();
  });

  it("refuses an image it cannot clean rather than pass it on as it is", async () => {
    expect(await sanitiseAttachment(message("image", "image/jpeg"), bytesOf("not really a picture"))).toEqual({
      ok: false,
      reason: "unsupported",
    });
    expect(await sanitiseAttachment(message("file", "image/heic"), bytesOf("\0\0\0\x18ftypheic"))).toEqual({
      ok: false,
      reason: "unsupported",
    });
  });

  it("passes a document on byte for byte", async () => {
    const pdf = bytesOf("%PDF-1.7\n/Author (someone)\n%%EOF");
    const clean = await sanitiseAttachment(message("file", "application/pdf"), pdf);
    expect(clean).toEqual({ ok: true, bytes: pdf, mimetype: "application/pdf" });
  });

  it("blanks MP4 metadata in video, and passes on audio it cannot parse as it is", async () => {
    const udta = bytesOf("\0\0\0\x14udta\0\0\0\x0c\xa9xyz+11.");
    const moov = new Uint8Array([0, 0, 0, 8 + udta.length, ...bytesOf("moov"), ...udta]);
    const mp4 = new Uint8Array([...bytesOf("\0\0\0\x10ftypisom\0\0\0\0"), ...moov]);
    const clean = await sanitiseAttachment(message("video", "video/mp4"), mp4);
    expect(clean.ok && Buffer.from(clean.bytes).toString("latin1")).not.toContain("xyz");

    const ogg = bytesOf("OggS\0\x02 not a complete page");
    expect(await sanitiseAttachment(message("audio", "audio/ogg"), ogg)).toEqual({
      ok: true,
      bytes: ogg,
      mimetype: "audio/ogg",
    });
  });
});
