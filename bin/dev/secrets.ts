import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A random secret: 24 bytes, base64url (32 characters, no padding). */
export function newSecret(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * The secret kept in `path`, generated on first use. The file is created readable and writable by its owner only
 * (0600) in a directory only its owner can enter (0700); an existing one is tightened to 0600.
 */
export async function loadOrCreateSecret(path: string, generate: () => string = newSecret): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const value = (await readFile(path, "utf8")).trim();
    if (value !== "") {
      await chmod(path, 0o600);
      return value;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const value = generate();
  await writeFile(path, `${value}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return value;
}

/** The secret kept in `path`, or undefined when there is none. */
export async function readSecret(path: string): Promise<string | undefined> {
  try {
    const value = (await readFile(path, "utf8")).trim();
    return value === "" ? undefined : value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
