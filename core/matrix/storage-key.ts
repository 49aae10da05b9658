import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./sealed-file.ts";

/**
 * The 32-byte key that seals every crypto store and session file. Given by config (env or secret file) in
 * production so that a seized data directory alone opens nothing; generated into the data directory otherwise.
 */
export async function loadOrCreateStorageKey(dataDir: string, configured?: string): Promise<Uint8Array> {
  if (configured !== undefined) return decodeStorageKey(configured);
  const path = join(dataDir, "keys", "storage.key");
  try {
    return decodeStorageKey((await readFile(path, "utf8")).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  await writeFileAtomic(path, Buffer.from(key.toString("base64") + "\n"));
  return key;
}

export function decodeStorageKey(base64: string): Uint8Array {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error(`crypto storage key must be 32 bytes of base64, found ${key.length} bytes`);
  return key;
}
