import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";

const magic = Buffer.from("HVN1");
const ivLength = 12;
const tagLength = 16;

function fileKey(storageKey: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", storageKey, Buffer.alloc(0), `haven sealed file: ${purpose}`, 32));
}

export class SealedFileError extends Error {
  override readonly name = "SealedFileError";
}

/** AES-256-GCM with a key derived from the storage key; the purpose binds a file to its role. */
export function seal(plain: Uint8Array, storageKey: Uint8Array, purpose: string): Buffer {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv("aes-256-gcm", fileKey(storageKey, purpose), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([magic, iv, cipher.getAuthTag(), body]);
}

export function unseal(sealed: Buffer, storageKey: Uint8Array, purpose: string): Buffer {
  if (sealed.length < magic.length + ivLength + tagLength || !sealed.subarray(0, magic.length).equals(magic)) {
    throw new SealedFileError(`not a Haven sealed file (${purpose})`);
  }
  const iv = sealed.subarray(magic.length, magic.length + ivLength);
  const tag = sealed.subarray(magic.length + ivLength, magic.length + ivLength + tagLength);
  const decipher = createDecipheriv("aes-256-gcm", fileKey(storageKey, purpose), iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(magic.length + ivLength + tagLength)), decipher.final()]);
  } catch {
    throw new SealedFileError(`cannot open ${purpose}: wrong storage key or damaged file`);
  }
}

/** Write-to-temp, fsync, rename, fsync the directory: after a crash the file is either old or new, never torn. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function readSealedFile(
  path: string,
  storageKey: Uint8Array,
  purpose: string,
): Promise<Buffer | undefined> {
  let sealed: Buffer;
  try {
    sealed = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return unseal(sealed, storageKey, purpose);
}

export async function writeSealedFile(
  path: string,
  plain: Uint8Array,
  storageKey: Uint8Array,
  purpose: string,
): Promise<void> {
  await writeFileAtomic(path, seal(plain, storageKey, purpose));
}
