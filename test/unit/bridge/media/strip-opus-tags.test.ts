import { describe, expect, it } from "vitest";
import { oggCrc, stripOpusTags } from "../../../../bridge/media/strip-opus-tags.ts";

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const asText = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

/** One Ogg page; `data` ends a packet unless `continues` (then its length is a multiple of 255). */
function oggPage(options: { serial: number; seq: number; flags: number; data: Uint8Array; continues?: boolean }) {
  const { data } = options;
  const lacing = [...Array<number>(Math.floor(data.length / 255)).fill(255)];
  if (!options.continues) lacing.push(data.length % 255);
  const page = new Uint8Array(27 + lacing.length + data.length);
  const view = new DataView(page.buffer);
  page.set(latin1("OggS"));
  page[5] = options.flags;
  view.setUint32(14, options.serial, true);
  view.setUint32(18, options.seq, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  page.set(data, 27 + lacing.length);
  view.setUint32(22, oggCrc(page), true);
  return page;
}

function opusTags(vendor: string, comments: string[]): Uint8Array {
  const parts = [latin1("OpusTags"), u32(vendor.length), latin1(vendor), u32(comments.length)];
  for (const comment of comments) parts.push(u32(comment.length), latin1(comment));
  return Buffer.concat(parts);
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

const opusHead = Buffer.concat([latin1("OpusHead"), new Uint8Array([1, 1, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0])]);
const audio = latin1("opus-audio-packet-bytes");

/** A voice note: OpusHead page, OpusTags (on `tagPages` pages), one audio page. */
function voiceNote(tags: Uint8Array): Uint8Array {
  const serial = 0x1234;
  const pages = [oggPage({ serial, seq: 0, flags: 2, data: opusHead })];
  let seq = 1;
  let rest = tags;
  while (rest.length > 255 * 255) {
    pages.push(
      oggPage({ serial, seq: seq++, flags: seq > 2 ? 1 : 0, data: rest.subarray(0, 255 * 255), continues: true }),
    );
    rest = rest.subarray(255 * 255);
  }
  pages.push(oggPage({ serial, seq: seq++, flags: seq > 2 ? 1 : 0, data: rest }));
  pages.push(oggPage({ serial, seq, flags: 4, data: audio }));
  return Buffer.concat(pages);
}

/** Every page's checksum matches its bytes. */
function checksumsHold(file: Uint8Array): boolean {
  let offset = 0;
  while (offset < file.length) {
    const segments = file[offset + 26]!;
    const length = 27 + segments + file.subarray(offset + 27, offset + 27 + segments).reduce((a, b) => a + b, 0);
    const page = new Uint8Array(file.subarray(offset, offset + length));
    const view = new DataView(page.buffer);
    const stated = view.getUint32(22, true);
    view.setUint32(22, 0, true);
    if (oggCrc(page) !== stated) return false;
    offset += length;
  }
  return true;
}

describe("bridge media: Ogg Opus comments", () => {
  it("computes the Ogg checksum (CRC-32, polynomial 0x04c11db7, not reflected, initial 0)", () => {
    expect(oggCrc(latin1("123456789"))).toBe(0x89a1897f);
  });

  it("empties the vendor string and comments, keeping every page's size and the audio", () => {
    const note = voiceNote(opusTags("SecretRecorder 2.1", ["TITLE=at my sister's", "LOCATION=Phnom Penh"]));
    expect(checksumsHold(note)).toBe(true);

    const clean = stripOpusTags(note)!;

    expect(clean.length).toBe(note.length);
    expect(checksumsHold(clean)).toBe(true);
    const text = asText(clean);
    for (const trace of ["SecretRecorder", "TITLE", "sister", "Phnom"]) expect(text).not.toContain(trace);
    expect(text).toContain("OpusHead");
    const tagsAt = text.indexOf("OpusTags");
    expect([...clean.subarray(tagsAt + 8, tagsAt + 16)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(asText(clean.subarray(clean.length - audio.length))).toBe(asText(audio));
  });

  it("empties comments that span several pages", () => {
    const long = `COMMENT=${"secret ".repeat(20_000)}`;
    const note = voiceNote(opusTags("v", [long]));
    const clean = stripOpusTags(note)!;
    expect(clean.length).toBe(note.length);
    expect(checksumsHold(clean)).toBe(true);
    expect(asText(clean)).not.toContain("secret");
  });

  it("leaves other Ogg streams and other files to the caller", () => {
    const vorbis = oggPage({ serial: 1, seq: 0, flags: 2, data: latin1("\x01vorbis-identification") });
    expect(stripOpusTags(vorbis)).toBeUndefined();
    expect(stripOpusTags(latin1("%PDF-1.7"))).toBeUndefined();
    const truncated = voiceNote(opusTags("v", ["A=b"]));
    expect(stripOpusTags(truncated.subarray(0, 60))).toBeUndefined();
  });
});
