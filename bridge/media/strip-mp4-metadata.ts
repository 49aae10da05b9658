// MP4 / QuickTime (ISO base media) files: phones write the place a video was taken (`©xyz`,
// `com.apple.quicktime.location.ISO6709`), the device and software into `udta` and `meta` boxes, XMP into `uuid`
// boxes, and creation times into the movie, track and media headers. Those boxes become `free` boxes of the same
// size with zeroed content and the times are zeroed, so no other offset in the file moves (the sample tables point
// into `mdat` by absolute offset) and players still play it.

const metadataBoxes = new Set(["udta", "meta", "uuid"]);
const containerBoxes = new Set(["moov", "trak", "mdia", "minf"]);
const headerBoxes = new Set(["mvhd", "tkhd", "mdhd"]);

const typeAt = (bytes: Uint8Array, offset: number): string =>
  String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);

/** Whether these bytes start like an ISO base media file (an `ftyp` box first). */
export function isIsoMediaFile(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && typeAt(bytes, 4) === "ftyp";
}

interface Box {
  type: string;
  start: number;
  payloadStart: number;
  end: number;
}

function* boxesIn(bytes: Uint8Array, start: number, end: number): Generator<Box> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = start;
  while (offset + 8 <= end) {
    let size = view.getUint32(offset);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > end) return;
      const large = view.getBigUint64(offset + 8);
      if (large > BigInt(end - offset)) return;
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) return;
    yield { type: typeAt(bytes, offset + 4), start: offset, payloadStart: offset + header, end: offset + size };
    offset += size;
  }
}

function neutralise(bytes: Uint8Array, box: Box): void {
  bytes.set([0x66, 0x72, 0x65, 0x65], box.start + 4); // "free"
  bytes.fill(0, box.payloadStart, box.end);
}

/** Zeroes creation and modification time of an mvhd / tkhd / mdhd (version 0: 32-bit times, 1: 64-bit). */
function zeroTimes(bytes: Uint8Array, box: Box): void {
  const version = bytes[box.payloadStart];
  const timesLength = version === 1 ? 16 : 8;
  if (box.payloadStart + 4 + timesLength <= box.end)
    bytes.fill(0, box.payloadStart + 4, box.payloadStart + 4 + timesLength);
}

function clean(bytes: Uint8Array, start: number, end: number): void {
  for (const box of boxesIn(bytes, start, end)) {
    if (metadataBoxes.has(box.type)) neutralise(bytes, box);
    else if (headerBoxes.has(box.type)) zeroTimes(bytes, box);
    else if (containerBoxes.has(box.type)) clean(bytes, box.payloadStart, box.end);
  }
}

/** A copy of an ISO base media file without its metadata boxes and times; undefined for any other file. */
export function stripMp4Metadata(bytes: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  if (!isIsoMediaFile(bytes)) return undefined;
  const copy = new Uint8Array(bytes);
  clean(copy, 0, copy.length);
  return copy;
}
