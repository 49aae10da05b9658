import { describe, expect, it } from "vitest";
import { stripId3Tags } from "../../../../bridge/media/strip-id3-tags.ts";
import { stripMp4Metadata } from "../../../../bridge/media/strip-mp4-metadata.ts";

const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "latin1"));
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1");

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(ascii(type), 4);
  let offset = 8;
  for (const part of payload) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A version-0 full box header with creation and modification times, then the rest of a header box. */
function timedHeader(type: string, created: number): Uint8Array {
  const payload = new Uint8Array(4 + 8 + 20);
  const view = new DataView(payload.buffer);
  view.setUint32(4, created);
  view.setUint32(8, created + 1);
  view.setUint32(12, 600); // timescale, kept
  return box(type, payload);
}

const location = "+11.5564+104.9282/";
const mdatPayload = ascii("frames-of-video-data");

/** ftyp, moov (mvhd, udta ©xyz, meta, trak (tkhd, udta, mdia (mdhd))), uuid XMP, mdat. */
function phoneVideo(): Uint8Array {
  const parts = [
    box("ftyp", ascii("isom\0\0\0\0isomiso2mp41")),
    box(
      "moov",
      timedHeader("mvhd", 3_800_000_000),
      box("udta", box("\xa9xyz", ascii(location))),
      box("meta", ascii("\0\0\0\0"), box("keys", ascii("com.apple.quicktime.location.ISO6709"))),
      box(
        "trak",
        timedHeader("tkhd", 3_800_000_000),
        box("udta", ascii("name")),
        box("mdia", timedHeader("mdhd", 3_800_000_000)),
      ),
    ),
    box("uuid", ascii("<x:xmpmeta>author</x:xmpmeta>")),
    box("mdat", mdatPayload),
  ];
  return Buffer.concat(parts);
}

describe("bridge media: MP4 / QuickTime metadata", () => {
  it("blanks location, device and XMP boxes and creation times, moving no offset", () => {
    const video = phoneVideo();
    expect(latin1(video)).toContain(location);

    const clean = stripMp4Metadata(video)!;

    expect(clean.length).toBe(video.length);
    const text = latin1(clean);
    for (const trace of [location, "\xa9xyz", "udta", "meta", "com.apple", "xmpmeta", "uuid"])
      expect(text).not.toContain(trace);
    expect(text).toContain("free");
    const mdatAt = text.indexOf("mdat");
    expect(mdatAt).toBe(latin1(video).indexOf("mdat"));
    expect(clean.subarray(mdatAt + 4)).toEqual(mdatPayload);
    const view = new DataView(clean.buffer);
    for (const header of ["mvhd", "tkhd", "mdhd"]) {
      const at = text.indexOf(header) + 4;
      expect([view.getUint32(at + 4), view.getUint32(at + 8)]).toEqual([0, 0]);
    }
    expect(view.getUint32(text.indexOf("mvhd") + 4 + 12)).toBe(600);
    expect(latin1(video)).toContain(location);
  });

  it("leaves anything that is not an ISO media file alone", () => {
    expect(stripMp4Metadata(ascii("OggS\0\x02 voice note"))).toBeUndefined();
  });

  it("stops at a box whose size runs past the end instead of writing beyond it", () => {
    const video = phoneVideo();
    const truncated = video.subarray(0, video.length - 5);
    const clean = stripMp4Metadata(truncated)!;
    expect(clean.length).toBe(truncated.length);
    expect(latin1(clean)).not.toContain(location);
  });
});

describe("bridge media: MP3 ID3 tags", () => {
  const frames = ascii("\xff\xfb\x90\x00audio-frames");

  it("cuts a leading ID3v2 tag and a trailing ID3v1 tag, keeping the frames", () => {
    const tagBody = ascii("TIT2\0\0\0\x08\0\0\0my song");
    const header = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, tagBody.length]);
    const v1 = new Uint8Array(128);
    v1.set(ascii("TAGSecret Title"));
    const mp3 = Buffer.concat([header, tagBody, frames, v1]);

    expect(stripId3Tags(mp3)).toEqual(new Uint8Array(frames));
  });

  it("returns untagged audio unchanged", () => {
    expect(stripId3Tags(frames)).toEqual(new Uint8Array(frames));
  });
});
