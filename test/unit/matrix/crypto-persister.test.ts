import "fake-indexeddb/auto";
import { randomBytes } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CryptoPersister } from "../../../core/matrix/crypto-persister.ts";
import { SealedFileError } from "../../../core/matrix/sealed-file.ts";

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("request failed"));
  });

/** A database shaped like the Rust crypto's: an inline-key store with an index, an out-of-line one, a counter. */
function createDatabase(name: string, version = 1): Promise<IDBDatabase> {
  const open = indexedDB.open(name, version);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("sessions")) {
      db.createObjectStore("sessions", { keyPath: ["room", "id"] }).createIndex("by_room", "room");
      db.createObjectStore("values");
      db.createObjectStore("counted", { autoIncrement: true });
    } else db.createObjectStore(`added_in_${version}`);
  };
  return request(open);
}

async function write(db: IDBDatabase, stores: string[], work: (tx: IDBTransaction) => void): Promise<void> {
  const tx = db.transaction(stores, "readwrite");
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("transaction failed"));
  });
  work(tx);
  await done;
}

/** Every record of every store, in key order: what a restore must reproduce exactly. */
async function contents(name: string): Promise<Record<string, Array<[IDBValidKey, unknown]>>> {
  const db = await request(indexedDB.open(name));
  try {
    const result: Record<string, Array<[IDBValidKey, unknown]>> = {};
    const names = Array.from(db.objectStoreNames);
    const tx = db.transaction(names, "readonly");
    for (const storeName of names) {
      const store = tx.objectStore(storeName);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      result[storeName] = keys.map((key, i) => [key, values[i]]);
    }
    return result;
  } finally {
    db.close();
  }
}

async function forEachCursor(store: IDBObjectStore, visit: (cursor: IDBCursorWithValue) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = store.openCursor();
    req.onsuccess = () => {
      const cursor = req.result;
      if (cursor === null) return resolve();
      visit(cursor);
      cursor.continue();
    };
    req.onerror = () => reject(req.error ?? new Error("cursor failed"));
  });
}

describe("the crypto store on disk: a whole snapshot and a journal of what changed", () => {
  let dir: string;
  let prefix: string;
  let name: string;
  const storageKey = randomBytes(32);
  const persister = (): CryptoPersister =>
    new CryptoPersister({ prefix, path: join(dir, "crypto-store.sealed"), storageKey });
  const journalPath = (): string => join(dir, "crypto-store.journal");
  /** What a restarted process finds: the databases dropped from memory, then restored from disk. */
  async function restart(): Promise<CryptoPersister> {
    const fresh = persister();
    expect(await fresh.restore()).toBe(true);
    return fresh;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "haven-persister-"));
    prefix = `test-${randomBytes(6).toString("hex")}::`;
    name = `${prefix}matrix-sdk-crypto`;
  });
  afterEach(async () => {
    await persister().forget();
    await rm(dir, { recursive: true, force: true });
  });

  it("restores exactly what was there, whichever way it was written (put, add, cursor update and delete, ranges, clear)", async () => {
    const first = persister();
    expect(await first.restore()).toBe(false);
    const db = await createDatabase(name);
    await write(db, ["sessions", "values", "counted"], (tx) => {
      for (let i = 0; i < 20; i++) tx.objectStore("sessions").put({ room: `!r${i % 4}`, id: i, pickle: `s${i}` });
      for (let i = 0; i < 10; i++) tx.objectStore("values").put({ v: i }, `k${i}`);
      tx.objectStore("values").put(new Uint8Array([1, 2, 3]), ["compound", 7]);
      tx.objectStore("counted").add("first");
    });
    await first.flushIfChanged();
    expect([first.flushes, first.appends]).toEqual([1, 0]);

    await write(db, ["sessions", "values", "counted"], (tx) => {
      const sessions = tx.objectStore("sessions");
      void forEachCursor(sessions, (cursor) => {
        const value = cursor.value as { id: number; pickle: string };
        if (value.id % 5 === 0) cursor.delete();
        else if (value.id % 3 === 0) cursor.update({ ...value, pickle: `${value.pickle}+ratcheted` });
      });
      tx.objectStore("values").delete("k1");
      tx.objectStore("values").delete(IDBKeyRange.bound("k5", "k7"));
      tx.objectStore("values").put({ v: "changed" }, ["compound", 7]);
      tx.objectStore("counted").clear();
      tx.objectStore("counted").add("after clear");
    });
    await first.flushIfChanged();
    expect([first.flushes, first.appends]).toEqual([1, 1]);
    const expected = await contents(name);
    db.close();

    const second = await restart();
    expect(await contents(name)).toEqual(expected);
    expect(expected["sessions"]!.find(([key]) => JSON.stringify(key) === '["!r3",3]')?.[1]).toMatchObject({
      pickle: "s3+ratcheted",
    });
    expect(expected["sessions"]).toHaveLength(16);
    expect(expected["values"]!.map(([key]) => key)).toEqual(["k0", "k2", "k3", "k4", "k8", "k9", ["compound", 7]]);
    expect(expected["counted"]!.map(([, value]) => value)).toEqual(["after clear"]);
    await second.flushIfChanged();
    expect([second.flushes, second.appends]).toEqual([0, 0]);
  });

  it("writes only the records that changed: one changed session appends a small record, not the store", async () => {
    const first = persister();
    await first.restore();
    const db = await createDatabase(name);
    await write(db, ["sessions"], (tx) => {
      for (let i = 0; i < 2_000; i++) tx.objectStore("sessions").put({ room: "!r", id: i, pickle: "x".repeat(200) });
    });
    await first.flushIfChanged();
    const whole = (await stat(join(dir, "crypto-store.sealed"))).size;
    await write(db, ["sessions"], (tx) => tx.objectStore("sessions").put({ room: "!r", id: 7, pickle: "ratcheted" }));
    await first.flushIfChanged();
    const journal = (await stat(journalPath())).size;
    expect(whole).toBeGreaterThan(400_000);
    expect(journal).toBeLessThan(1_000);
    db.close();
    await restart();
    const sessions = (await contents(name))["sessions"]!;
    expect(sessions).toHaveLength(2_000);
    expect(sessions.find(([key]) => JSON.stringify(key) === '["!r",7]')?.[1]).toMatchObject({ pickle: "ratcheted" });
  });

  it("folds the journal into a new snapshot once it outgrows it, and on a schema change", async () => {
    const first = persister();
    await first.restore();
    let db = await createDatabase(name);
    await write(db, ["values"], (tx) => tx.objectStore("values").put("small", "k"));
    await first.flushIfChanged();
    for (let round = 0; round < 40; round++) {
      await write(db, ["values"], (tx) => tx.objectStore("values").put(randomBytes(16_384), `big${round}`));
      await first.flushIfChanged();
    }
    expect(first.flushes).toBeGreaterThan(1);
    expect((await stat(journalPath())).size).toBeLessThan(300_000);
    const flushesBefore = first.flushes;
    db.close();
    db = await createDatabase(name, 2);
    await first.flushIfChanged();
    expect(first.flushes).toBe(flushesBefore + 1);
    expect((await stat(journalPath())).size).toBe(0);
    const expected = await contents(name);
    db.close();
    await restart();
    expect(await contents(name)).toEqual(expected);
    expect(Object.keys(expected)).toContain("added_in_2");
  });

  it("after a crash that tore the last record, restores up to the record before it and appends after it", async () => {
    const first = persister();
    await first.restore();
    const db = await createDatabase(name);
    await write(db, ["values"], (tx) => tx.objectStore("values").put("one", "k"));
    await first.flushIfChanged();
    await write(db, ["values"], (tx) => tx.objectStore("values").put("two", "k"));
    await first.flushIfChanged();
    const whole = await readFile(journalPath());
    await appendFile(journalPath(), whole.subarray(0, whole.length - 5));
    db.close();

    const second = await restart();
    expect((await contents(name))["values"]).toEqual([["k", "two"]]);
    expect((await stat(journalPath())).size).toBe(whole.length);
    const reopened = await request(indexedDB.open(name));
    await write(reopened, ["values"], (tx) => tx.objectStore("values").put("three", "k"));
    await second.flushIfChanged();
    reopened.close();
    await restart();
    expect((await contents(name))["values"]).toEqual([["k", "three"]]);
  });

  it("never applies a journal left behind by a crash during a compaction to the newer snapshot", async () => {
    const first = persister();
    await first.restore();
    let db = await createDatabase(name);
    await write(db, ["values"], (tx) => tx.objectStore("values").put("old", "k"));
    await first.flushIfChanged();
    await write(db, ["values"], (tx) => tx.objectStore("values").put("stale", "k"));
    await first.flushIfChanged();
    const staleJournal = await readFile(journalPath());
    await write(db, ["values"], (tx) => tx.objectStore("values").put("newest", "k"));
    db.close();
    db = await createDatabase(name, 2);
    await first.flushIfChanged();
    db.close();
    // The new snapshot was renamed into place, then the process died before the journal was emptied.
    await writeFile(journalPath(), staleJournal);
    await restart();
    expect((await contents(name))["values"]).toEqual([["k", "newest"]]);
  });

  it("refuses a journal damaged before its last record instead of restoring an older state", async () => {
    const first = persister();
    await first.restore();
    const db = await createDatabase(name);
    await write(db, ["values"], (tx) => tx.objectStore("values").put("one", "k"));
    await first.flushIfChanged();
    for (const value of ["two", "three"]) {
      await write(db, ["values"], (tx) => tx.objectStore("values").put(value, "k"));
      await first.flushIfChanged();
    }
    db.close();
    const journal = await readFile(journalPath());
    journal[10] = journal[10]! ^ 0xff;
    await writeFile(journalPath(), journal);
    await expect(persister().restore()).rejects.toBeInstanceOf(SealedFileError);
  });
});
