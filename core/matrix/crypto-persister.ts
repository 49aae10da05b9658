import { randomBytes } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import { deleteDatabases, restoreDatabases, snapshotDatabases } from "./indexeddb-snapshot.ts";
import {
  applyChanges,
  forgetChangesUnder,
  schemaChangedUnder,
  storeWriteCount,
  takeChanges,
  type DatabaseChanges,
} from "./indexeddb-changes.ts";
import { readSealedFile, writeSealedFile } from "./sealed-file.ts";
import { SealedJournal } from "./sealed-journal.ts";

const purpose = "crypto store";
const journalPurpose = "crypto store journal";
/** The journal is folded into a new whole snapshot once it outgrows the snapshot (and at least this). */
const minimumJournalBytes = 256 * 1024;

/** A whole snapshot, and the generation its journal records must carry to apply to it. */
interface Base {
  generation: string;
  databases: Uint8Array;
}

interface JournalRecord {
  generation: string;
  changes: DatabaseChanges[];
}

/**
 * Keeps one account's crypto databases on disk, sealed with the storage key: a whole snapshot
 * (`crypto-store.sealed`) and a journal of what changed since (`crypto-store.journal`), so that a flush writes
 * only the records that changed (decision 0022). `flushIfChanged` runs before every request that reveals crypto
 * state (see persisting-fetch.ts), so nothing the server learns from us, and nothing it stops re-sending to us, is
 * ahead of what is on disk. Each snapshot has a random generation; a journal record applies only to the snapshot
 * of its generation, so records left behind by a crash during a compaction are never applied to the newer one.
 */
export class CryptoPersister {
  readonly prefix: string;
  private readonly path: string;
  private readonly storageKey: Uint8Array;
  private readonly journal: SealedJournal;
  private generation: string | undefined;
  private baseBytes = 0;
  private flushedAtWriteCount = -1;
  private pending: Promise<void> = Promise.resolve();
  /** Whole snapshots written, and journal records appended. */
  flushes = 0;
  appends = 0;

  constructor(init: { prefix: string; path: string; storageKey: Uint8Array }) {
    this.prefix = init.prefix;
    this.path = init.path;
    this.storageKey = init.storageKey;
    this.journal = new SealedJournal({
      path: init.path.replace(/\.sealed$/, "") + ".journal",
      storageKey: init.storageKey,
      purpose: journalPurpose,
    });
  }

  /** Loads the snapshot and its journal into memory; returns false when there is none (a new device). */
  async restore(): Promise<boolean> {
    await deleteDatabases(this.prefix);
    forgetChangesUnder(this.prefix);
    const plain = await readSealedFile(this.path, this.storageKey, purpose);
    const records = await this.journal.read();
    if (plain === undefined) return false;
    const base = readBase(plain);
    this.baseBytes = plain.length;
    await restoreDatabases(base.databases, this.prefix);
    for (const record of records) {
      const { generation, changes } = deserialize(record) as JournalRecord;
      if (generation === base.generation) await applyChanges(changes);
    }
    forgetChangesUnder(this.prefix);
    this.generation = base.generation;
    this.flushedAtWriteCount = storeWriteCount();
    return true;
  }

  flushIfChanged(): Promise<void> {
    const run = async (): Promise<void> => {
      const writesBefore = storeWriteCount();
      if (writesBefore === this.flushedAtWriteCount) return;
      const generation = this.generation;
      const whole =
        generation === undefined ||
        schemaChangedUnder(this.prefix) ||
        this.journal.size > Math.max(minimumJournalBytes, this.baseBytes);
      if (whole) await this.writeWhole();
      else {
        const changes = await takeChanges(this.prefix);
        if (changes.length > 0) {
          await this.journal.append(serialize({ generation, changes } satisfies JournalRecord));
          this.appends++;
        }
      }
      this.flushedAtWriteCount = writesBefore;
    };
    this.pending = this.pending.then(run, run);
    return this.pending;
  }

  /** A new whole snapshot under a new generation, then the journal emptied (its records are in the snapshot). */
  private async writeWhole(): Promise<void> {
    const generation = randomBytes(16).toString("hex");
    const databases = await snapshotDatabases(this.prefix);
    const plain = serialize({ generation, databases } satisfies Base);
    await writeSealedFile(this.path, plain, this.storageKey, purpose);
    this.generation = generation;
    this.baseBytes = plain.length;
    await this.journal.clear();
    this.flushes++;
  }

  async forget(): Promise<void> {
    await this.pending.catch(() => undefined);
    await deleteDatabases(this.prefix);
    forgetChangesUnder(this.prefix);
    this.generation = undefined;
  }
}

/** Snapshots written before the journal existed are the databases alone. */
function readBase(plain: Buffer): Base {
  const value = deserialize(plain) as unknown;
  if (typeof value === "object" && value !== null && "generation" in value && "databases" in value) {
    return value as Base;
  }
  return { generation: "", databases: plain };
}
