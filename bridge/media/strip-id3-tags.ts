// MP3 files carry ID3 tags (title, artist, comments, pictures, the encoding software) before and after the audio
// frames. Both are cut off; the frames in between are left as they are.

const id3v1Length = 128;

const startsWith = (bytes: Uint8Array, offset: number, text: string): boolean =>
  [...text].every((char, index) => bytes[offset + index] === char.charCodeAt(0));

/** Whether these bytes start with an ID3v2 tag. */
export function hasId3v2Tag(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && startsWith(bytes, 0, "ID3");
}

/** Length of a leading ID3v2 tag: 10-byte header, sync-safe size, and a 10-byte footer when flagged. */
function id3v2Length(bytes: Uint8Array): number {
  if (!hasId3v2Tag(bytes)) return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = (bytes[5]! & 0x10) !== 0 ? 10 : 0;
  return Math.min(bytes.length, 10 + size + footer);
}

/** A copy of the audio without leading ID3v2 and trailing ID3v1 tags (unchanged when it has neither). */
export function stripId3Tags(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const start = id3v2Length(bytes);
  let end = bytes.length;
  if (end - start >= id3v1Length && startsWith(bytes, end - id3v1Length, "TAG")) end -= id3v1Length;
  return new Uint8Array(bytes.subarray(start, end));
}
