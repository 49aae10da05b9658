import { open, readFile, truncate } from "node:fs/promises";
import { dirname } from "node:path";
import { SealedFileError, seal, unseal } from "./sealed-file.ts";

/**
 * An append-only file of sealed records: [4-byte length][sealed record], each appended with one write and made
 * durable (fsync) before the append returns. A crash can only tear the last record, which was therefore never
 * reported written: reading stops there and cuts it off, so the next append follows the last whole record. A
 * record that cannot be opened with more records after it is damage, not a crash, and is an error.
 */
export class SealedJournal {
  private readonly path: string;
  private readonly storageKey: Uint8Array;
  private readonly purpose: string;
  /** Bytes in the file, as far as this process knows (set by `read`, grown by `append`, zeroed by `clear`). */
  size = 0;

  constructor(init: { path: string; storageKey: Uint8Array; purpose: string }) {
    this.path = init.path;
    this.storageKey = init.storageKey;
    this.purpose = init.purpose;
  }

  /** Every whole record, in order; a torn last record is cut off the file. */
  async read(): Promise<Buffer[]> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.size = 0;
      return [];
    }
    const records: Buffer[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const length = offset + 4 <= bytes.length ? bytes.readUInt32BE(offset) : Infinity;
      const end = offset + 4 + length;
      if (end > bytes.length) break;
      try {
        records.push(unseal(bytes.subarray(offset + 4, end), this.storageKey, this.purpose));
      } catch (error) {
        if (end < bytes.length) throw new SealedFileError(`${this.purpose}: a damaged record before others`);
        if (!(error instanceof SealedFileError)) throw error;
        break;
      }
      offset = end;
    }
    if (offset < bytes.length) await truncate(this.path, offset);
    this.size = offset;
    return records;
  }

  async append(plain: Uint8Array): Promise<void> {
    const sealed = seal(plain, this.storageKey, this.purpose);
    const record = Buffer.alloc(4 + sealed.length);
    record.writeUInt32BE(sealed.length, 0);
    sealed.copy(record, 4);
    const handle = await open(this.path, "a", 0o600);
    try {
      await handle.write(record);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A new file exists for certain only once its directory entry is on disk too.
    if (this.size === 0) await syncDirectory(dirname(this.path));
    this.size += record.length;
  }

  /** Empties the file (after its records were folded into a whole snapshot written before). */
  async clear(): Promise<void> {
    if (this.size === 0) return;
    const handle = await open(this.path, "r+");
    try {
      await handle.truncate(0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.size = 0;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
