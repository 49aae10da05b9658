// Ogg Opus files (Element's voice notes) carry an OpusTags header: the encoder's vendor string and free-form
// comments (title, artist, anything a recorder app writes). RFC 7845 §5.2 lets zero padding follow the comment
// list, so the header is rewritten in place at the same length as "no vendor, no comments, padding": no page
// changes size, only the checksums of the header's pages are computed again.

const pageHeaderLength = 27;

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte << 24;
    for (let bit = 0; bit < 8; bit++) value = value & 0x80000000 ? (value << 1) ^ 0x04c11db7 : value << 1;
    table[byte] = value >>> 0;
  }
  return table;
})();

/** The Ogg page checksum: CRC-32, polynomial 0x04c11db7, not reflected, over the page with its CRC field zeroed. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (const byte of page) crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}

interface Page {
  start: number;
  dataStart: number;
  end: number;
  serial: number;
  /** Whether the page's last packet ends on it (last lacing value below 255). */
  endsPacket: boolean;
}

const startsWith = (bytes: Uint8Array, offset: number, text: string): boolean =>
  [...text].every((char, index) => bytes[offset + index] === char.charCodeAt(0));

function* pagesOf(bytes: Uint8Array): Generator<Page> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + pageHeaderLength <= bytes.length && startsWith(bytes, offset, "OggS")) {
    const segments = bytes[offset + 26]!;
    const dataStart = offset + pageHeaderLength + segments;
    if (dataStart > bytes.length) return;
    let dataLength = 0;
    for (let index = 0; index < segments; index++) dataLength += bytes[offset + pageHeaderLength + index]!;
    const end = dataStart + dataLength;
    if (end > bytes.length) return;
    const lastLacing = segments === 0 ? 255 : bytes[dataStart - 1]!;
    yield { start: offset, dataStart, end, serial: view.getUint32(offset + 14, true), endsPacket: lastLacing < 255 };
    offset = end;
  }
}

function rewriteChecksum(bytes: Uint8Array, page: Page): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(page.start + 22, 0, true);
  view.setUint32(page.start + 22, oggCrc(bytes.subarray(page.start, page.end)), true);
}

/**
 * A copy of an Ogg Opus file whose OpusTags header says nothing; undefined when the bytes are not Ogg Opus
 * (Ogg Vorbis, Ogg video, or something malformed) so the caller decides what to do with them.
 */
export function stripOpusTags(bytes: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  const pages = [...pagesOf(bytes)];
  const first = pages[0];
  if (first === undefined || !startsWith(bytes, first.dataStart, "OpusHead")) return undefined;
  const tagPages: Page[] = [];
  for (const page of pages.slice(1)) {
    if (page.serial !== first.serial) continue;
    tagPages.push(page);
    if (page.endsPacket) break;
  }
  const tagLength = tagPages.reduce((sum, page) => sum + page.end - page.dataStart, 0);
  const last = tagPages.at(-1);
  if (last === undefined || !last.endsPacket || tagLength < 16) return undefined;
  if (!startsWith(bytes, tagPages[0]!.dataStart, "OpusTags")) return undefined;

  const header = new Uint8Array(tagLength); // "OpusTags", vendor length 0, comment count 0, then zero padding
  header.set([..."OpusTags"].map((char) => char.charCodeAt(0)));
  const copy = new Uint8Array(bytes);
  let written = 0;
  for (const page of tagPages) {
    const length = page.end - page.dataStart;
    copy.set(header.subarray(written, written + length), page.dataStart);
    written += length;
    rewriteChecksum(copy, page);
  }
  return copy;
}
