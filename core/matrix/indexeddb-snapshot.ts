import "fake-indexeddb/auto";
import { forgetAbsentDatabases, forgetChanges } from "./indexeddb-changes.ts";
import { deserialize, serialize } from "node:v8";

/**
 * Node has no IndexedDB; the Rust crypto (WASM) keeps its store in fake-indexeddb, which lives in memory.
 * This module takes consistent snapshots of a set of those databases and restores them, so that the
 * crypto state can be written to disk and survive a crash.
 */

interface IndexSnapshot {
  name: string;
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}

interface StoreSnapshot {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: IndexSnapshot[];
  keys: IDBValidKey[];
  values: unknown[];
}

interface DatabaseSnapshot {
  name: string;
  version: number;
  stores: StoreSnapshot[];
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function openExisting(name: string): Promise<IDBDatabase> {
  return request(indexedDB.open(name));
}

async function snapshotDatabase(name: string): Promise<DatabaseSnapshot> {
  const db = await openExisting(name);
  try {
    const storeNames = Array.from(db.objectStoreNames);
    if (storeNames.length === 0) return { name, version: db.version, stores: [] };
    const tx = db.transaction(storeNames, "readonly");
    const stores = await Promise.all(
      storeNames.map(async (storeName): Promise<StoreSnapshot> => {
        const store = tx.objectStore(storeName);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        const indexes = Array.from(store.indexNames).map((indexName) => {
          const index = store.index(indexName);
          return { name: index.name, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
        });
        return { name: storeName, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes, keys, values };
      }),
    );
    // Still inside the transaction: every earlier write is in this snapshot, every later one marks itself anew.
    forgetChanges(name);
    return { name, version: db.version, stores };
  } finally {
    db.close();
  }
}

/** One readonly transaction per database: each database's snapshot is consistent in itself. */
export async function snapshotDatabases(prefix: string): Promise<Uint8Array> {
  const names = (await indexedDB.databases())
    .map((info) => info.name)
    .filter((name): name is string => name !== undefined && name.startsWith(prefix))
    .sort();
  const databases = [];
  for (const name of names) databases.push(await snapshotDatabase(name));
  await forgetAbsentDatabases(prefix);
  return serialize(databases);
}

function restoreDatabase(snapshot: DatabaseSnapshot): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(snapshot.name, snapshot.version);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const storeSnapshot of snapshot.stores) {
        const store = db.createObjectStore(storeSnapshot.name, {
          keyPath: storeSnapshot.keyPath,
          autoIncrement: storeSnapshot.autoIncrement,
        });
        for (const index of storeSnapshot.indexes) {
          store.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
        }
        storeSnapshot.values.forEach((value, i) => {
          if (storeSnapshot.keyPath === null) store.put(value, storeSnapshot.keys[i]);
          else store.put(value);
        });
      }
    };
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
    req.onerror = () => reject(req.error ?? new Error(`cannot restore ${snapshot.name}`));
    req.onblocked = () => reject(new Error(`restore of ${snapshot.name} blocked by an open connection`));
  });
}

/** Restores into databases that must not exist yet in this process. */
export async function restoreDatabases(serialized: Uint8Array, prefix: string): Promise<void> {
  const databases = deserialize(serialized) as DatabaseSnapshot[];
  const existing = new Set((await indexedDB.databases()).map((info) => info.name));
  for (const snapshot of databases) {
    if (!snapshot.name.startsWith(prefix)) throw new Error(`snapshot holds a foreign database ${snapshot.name}`);
    if (existing.has(snapshot.name)) throw new Error(`database ${snapshot.name} already open in this process`);
    await restoreDatabase(snapshot);
  }
}

export async function deleteDatabases(prefix: string): Promise<void> {
  for (const info of await indexedDB.databases()) {
    if (info.name?.startsWith(prefix)) await request(indexedDB.deleteDatabase(info.name));
  }
}
