const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/** Checks a crypto storage key secret: base64 of exactly 32 bytes. Reports sizes only, never the key. */
export function storageKeyProblem(value: string): string | undefined {
  if (!base64Pattern.test(value) || value.replace(/=+$/, "").length % 4 === 1) {
    return "expected base64 of exactly 32 bytes, found a value that is not base64";
  }
  const bytes = Buffer.from(value, "base64").length;
  return bytes === 32 ? undefined : `expected base64 of exactly 32 bytes, found ${bytes} bytes`;
}
