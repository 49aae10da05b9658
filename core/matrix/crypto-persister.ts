import { deleteDatabases, restoreDatabases, snapshotDatabases, storeWriteCount } from "./indexeddb-snapshot.ts";
import { readSealedFile, writeSealedFile } from "./sealed-file.ts";

const purpose = "crypto store";

/**
 * Keeps one account's crypto databases on disk, sealed with the storage key.
 * `flushIfChanged` runs before every request that reveals crypto state (see persisting-fetch.ts), so nothing the
 * server learns from us, and nothing it stops re-sending to us, is ahead of what is on disk.
 */
export class CryptoPersister {
  readonly prefix: string;
  private readonly path: string;
  private readonly storageKey: Uint8Array;
  private flushedAtWriteCount = -1;
  private pending: Promise<void> = Promise.resolve();
  flushes = 0;

  constructor(init: { prefix: string; path: string; storageKey: Uint8Array }) {
    this.prefix = init.prefix;
    this.path = init.path;
    this.storageKey = init.storageKey;
  }

  /** Loads the snapshot into memory; returns false when there is none (a new device). */
  async restore(): Promise<boolean> {
    await deleteDatabases(this.prefix);
    const plain = await readSealedFile(this.path, this.storageKey, purpose);
    if (plain === undefined) return false;
    await restoreDatabases(plain, this.prefix);
    this.flushedAtWriteCount = storeWriteCount();
    return true;
  }

  flushIfChanged(): Promise<void> {
    const run = async (): Promise<void> => {
      const writesBefore = storeWriteCount();
      if (writesBefore === this.flushedAtWriteCount) return;
      const snapshot = await snapshotDatabases(this.prefix);
      await writeSealedFile(this.path, snapshot, this.storageKey, purpose);
      this.flushedAtWriteCount = writesBefore;
      this.flushes++;
    };
    this.pending = this.pending.then(run, run);
    return this.pending;
  }

  async forget(): Promise<void> {
    await this.pending.catch(() => undefined);
    await deleteDatabases(this.prefix);
  }
}
