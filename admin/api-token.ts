// API tokens: 256 random bits, shown once; the database keeps only the SHA-256, which is what lookups use.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const TOKEN_PREFIX = "haven_";

export function newApiToken(): { token: string; id: string } {
  return { token: `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`, id: randomBytes(9).toString("base64url") };
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Constant-time comparison of two secrets of any length (their hashes are compared). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}
