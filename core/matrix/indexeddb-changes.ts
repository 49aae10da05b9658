import "fake-indexeddb/auto";

/**
 * Which records of fake-indexeddb changed since they were last taken, so that a flush writes only those
 * (core/matrix/crypto-persister.ts) instead of a snapshot of every store. Every way to write is watched: store
 * put/add/delete/clear and cursor update/delete (the Rust crypto uses both); a changed schema (a store or index
 * created or deleted, a database deleted) asks for a whole snapshot instead.
 */

interface DatabaseDirt {
  /** Per store: the keys written (a Map keyed by a canonical form of the key, since keys may be arrays). */
  readonly keys: Map<string, Map<string, IDBValidKey>>;
  /** Stores cleared or deleted by range: read whole. */
  readonly whole: Set<string>;
}

const dirt = new Map<string, DatabaseDirt>();
/** Databases whose schema changed (a store or index created or deleted, the database deleted). */
const schemaChanged = new Set<string>();
let writeCount = 0;

/** Counts every request that changes a store: a flush with the same count as the last has nothing to write. */
export function storeWriteCount(): number {
  return writeCount;
}

const databaseDirt = (database: string): DatabaseDirt => {
  let entry = dirt.get(database);
  if (entry === undefined) {
    entry = { keys: new Map(), whole: new Set() };
    dirt.set(database, entry);
  }
  return entry;
};

/** A key's identity across the structured clone: IndexedDB keys are numbers, strings, dates, binary or arrays. */
function keyId(key: IDBValidKey): string {
  if (Array.isArray(key)) return `[${key.map(keyId).join(",")}]`;
  if (key instanceof Date) return `d${key.getTime()}`;
  if (typeof key === "number") return `n${key}`;
  if (typeof key === "string") return `s${JSON.stringify(key)}`;
  const bytes = ArrayBuffer.isView(key)
    ? new Uint8Array(key.buffer, key.byteOffset, key.byteLength)
    : new Uint8Array(key);
  return `b${Buffer.from(bytes).toString("hex")}`;
}

function markKey(store: IDBObjectStore, key: IDBValidKey): void {
  const entry = databaseDirt(store.transaction.db.name);
  if (entry.whole.has(store.name)) return;
  let keys = entry.keys.get(store.name);
  if (keys === undefined) {
    keys = new Map();
    entry.keys.set(store.name, keys);
  }
  keys.set(keyId(key), key);
}

function markWhole(store: IDBObjectStore): void {
  const entry = databaseDirt(store.transaction.db.name);
  entry.whole.add(store.name);
  entry.keys.delete(store.name);
}

type Method = (...args: unknown[]) => unknown;
function wrap(prototype: object, method: string, before: (self: never, args: unknown[], result: unknown) => void) {
  const methods = prototype as Record<string, Method>;
  const original = methods[method]!;
  methods[method] = function (this: never, ...args: unknown[]) {
    const result = original.apply(this, args);
    writeCount++;
    before(this, args, result);
    return result;
  };
}

// The key of a put or add is known for certain once it succeeds (it may come from a key path or a generator).
const onSuccessMark = (store: IDBObjectStore, _args: unknown[], request: unknown): void => {
  const req = request as IDBRequest<IDBValidKey>;
  req.addEventListener("success", () => markKey(store, req.result));
};
wrap(IDBObjectStore.prototype, "put", onSuccessMark);
wrap(IDBObjectStore.prototype, "add", onSuccessMark);
wrap(IDBObjectStore.prototype, "delete", (store: IDBObjectStore, [query]) => {
  if (query instanceof IDBKeyRange) markWhole(store);
  else markKey(store, query as IDBValidKey);
});
wrap(IDBObjectStore.prototype, "clear", (store: IDBObjectStore) => markWhole(store));
const cursorStore = (cursor: IDBCursor): IDBObjectStore =>
  cursor.source instanceof IDBIndex ? cursor.source.objectStore : cursor.source;
wrap(IDBCursor.prototype, "update", (cursor: IDBCursor) => markKey(cursorStore(cursor), cursor.primaryKey));
wrap(IDBCursor.prototype, "delete", (cursor: IDBCursor) => markKey(cursorStore(cursor), cursor.primaryKey));
wrap(IDBDatabase.prototype, "createObjectStore", (db: IDBDatabase) => schemaChanged.add(db.name));
wrap(IDBDatabase.prototype, "deleteObjectStore", (db: IDBDatabase) => schemaChanged.add(db.name));
wrap(IDBObjectStore.prototype, "createIndex", (store: IDBObjectStore) => schemaChanged.add(store.transaction.db.name));
wrap(IDBObjectStore.prototype, "deleteIndex", (store: IDBObjectStore) => schemaChanged.add(store.transaction.db.name));
wrap(IDBFactory.prototype, "deleteDatabase", (_factory: IDBFactory, [name]) => schemaChanged.add(String(name)));

/** Whether a database under `prefix` was created, deleted or changed its stores: a delta cannot say that. */
export function schemaChangedUnder(prefix: string): boolean {
  return [...schemaChanged].some((name) => name.startsWith(prefix));
}

/** Drops what is known of changes to this database: its whole content has just been read (or restored). */
export function forgetChanges(database: string): void {
  dirt.delete(database);
  schemaChanged.delete(database);
}

/** Drops what is known of the databases under `prefix` that do not exist (deleted since they changed). */
export async function forgetAbsentDatabases(prefix: string): Promise<void> {
  const present = new Set((await indexedDB.databases()).map((info) => info.name));
  for (const name of [...dirt.keys(), ...schemaChanged]) {
    if (name.startsWith(prefix) && !present.has(name)) forgetChanges(name);
  }
}

/** Drops what is known of changes to every database under `prefix` (before it is restored or deleted). */
export function forgetChangesUnder(prefix: string): void {
  for (const name of [...dirt.keys(), ...schemaChanged]) if (name.startsWith(prefix)) forgetChanges(name);
}

export interface StoreChanges {
  readonly name: string;
  /** The store's whole content, when it was cleared or deleted by range. */
  readonly whole?: { keys: IDBValidKey[]; values: unknown[] };
  readonly puts: Array<[IDBValidKey, unknown]>;
  readonly deletes: IDBValidKey[];
}

export interface DatabaseChanges {
  readonly name: string;
  readonly stores: StoreChanges[];
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

/**
 * The current value of every record written since the last take, read in one readonly transaction. The list of
 * what changed is taken inside that transaction, after every earlier write to the database has finished, so a
 * write is either in this take or marked for the next.
 */
async function takeDatabaseChanges(name: string): Promise<DatabaseChanges | undefined> {
  const db = await request(indexedDB.open(name));
  try {
    const storeNames = Array.from(db.objectStoreNames);
    if (storeNames.length === 0) return undefined;
    const tx = db.transaction(storeNames, "readonly");
    await request(tx.objectStore(storeNames[0]!).count());
    const taken = dirt.get(name);
    dirt.delete(name);
    if (taken === undefined) return undefined;
    const stores = await Promise.all(
      [...new Set([...taken.whole, ...taken.keys.keys()])].map(async (storeName): Promise<StoreChanges> => {
        const store = tx.objectStore(storeName);
        if (taken.whole.has(storeName)) {
          const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
          return { name: storeName, whole: { keys, values }, puts: [], deletes: [] };
        }
        const keys = [...taken.keys.get(storeName)!.values()];
        const values = await Promise.all(keys.map((key) => request(store.get(key))));
        const puts: Array<[IDBValidKey, unknown]> = [];
        const deletes: IDBValidKey[] = [];
        keys.forEach((key, i) => (values[i] === undefined ? deletes.push(key) : puts.push([key, values[i]])));
        return { name: storeName, puts, deletes };
      }),
    );
    return { name, stores };
  } finally {
    db.close();
  }
}

/** What changed in the databases under `prefix` since the last take; empty when nothing did. */
export async function takeChanges(prefix: string): Promise<DatabaseChanges[]> {
  const changes: DatabaseChanges[] = [];
  for (const name of [...dirt.keys()].filter((n) => n.startsWith(prefix)).sort()) {
    const taken = await takeDatabaseChanges(name);
    if (taken !== undefined && taken.stores.length > 0) changes.push(taken);
  }
  return changes;
}

/** Applies changes taken by `takeChanges` to restored databases (one transaction per database). */
export async function applyChanges(changes: readonly DatabaseChanges[]): Promise<void> {
  for (const database of changes) {
    const db = await request(indexedDB.open(database.name));
    try {
      const tx = db.transaction(
        database.stores.map((s) => s.name),
        "readwrite",
      );
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error(`cannot apply changes to ${database.name}`));
        tx.onabort = () => reject(tx.error ?? new Error(`changes to ${database.name} aborted`));
      });
      for (const change of database.stores) {
        const store = tx.objectStore(change.name);
        const inline = store.keyPath !== null;
        if (change.whole !== undefined) {
          store.clear();
          change.whole.values.forEach((value, i) =>
            inline ? store.put(value) : store.put(value, change.whole!.keys[i]),
          );
        }
        for (const [key, value] of change.puts) {
          if (inline) store.put(value);
          else store.put(value, key);
        }
        for (const key of change.deletes) store.delete(key);
      }
      await done;
    } finally {
      db.close();
    }
    forgetChanges(database.name);
  }
}
