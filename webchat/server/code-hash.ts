import { randomBytes, scrypt } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/matrix/sealed-file.ts";

/**
 * What the server keeps of a return code: scrypt of the browser's slow derivative of it, with a secret pepper.
 * The browser's KDF makes each guess slow for whoever holds only this table; the pepper means the table alone
 * (a leaked database) cannot be searched at all. Deterministic, so it is also the lookup key.
 */
export type CodeHasher = (lookup: string) => Promise<string>;

// N = 2^15, r = 8: about 32 MiB and some 50-100 ms per hash here, paid on every attempt, right or wrong.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export function scryptCodeHasher(pepper: Uint8Array): CodeHasher {
  return (lookup) =>
    new Promise((resolve, reject) => {
      scrypt(lookup, pepper, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key.toString("hex"))));
    });
}

/** The pepper from config, or generated once into the data directory. */
export async function loadOrCreatePepper(dataDir: string, configured?: string): Promise<Uint8Array> {
  if (configured !== undefined) return Buffer.from(configured, "base64");
  const path = join(dataDir, "keys", "webchat-code-pepper.key");
  try {
    return Buffer.from((await readFile(path, "utf8")).trim(), "base64");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const pepper = randomBytes(32);
  await writeFileAtomic(path, Buffer.from(pepper.toString("base64") + "\n"));
  return pepper;
}
