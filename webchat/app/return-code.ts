// Her return code and what the browser derives from it. The code never leaves the page: the server gets only a
// slow derivative to find her account by, and her password and key-backup key are derived with her user ID mixed in.

const DIGITS = 12;
const ITERATIONS = 300_000;

/** 12 random digits, shown in groups of four like a receipt number. */
export function newReturnCode(): string {
  let code = "";
  const byte = new Uint8Array(1);
  while (code.length < DIGITS) {
    crypto.getRandomValues(byte);
    if (byte[0]! < 250) code += String(byte[0]! % 10); // rejection sampling keeps the digits uniform
  }
  return code;
}

export function formatReturnCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** What she typed, as the 12 digits it should be (Khmer digits accepted), or undefined. */
export function parseReturnCode(typed: string): string | undefined {
  const digits = typed.replace(/[\u17e0-\u17e9]/g, (d) => String(d.charCodeAt(0) - 0x17e0)).replace(/[^0-9]/g, "");
  return digits.length === DIGITS ? digits : undefined;
}

async function derive(code: string, purpose: string): Promise<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(code), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(`haven-webchat:${purpose}`), iterations: ITERATIONS },
    key,
    256,
  );
  return new Uint8Array(bits);
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

export async function deriveLookup(code: string): Promise<string> {
  return hex(await derive(code, "lookup:v1"));
}

export async function derivePassword(code: string, userId: string): Promise<string> {
  return base64url(await derive(code, `password:v1:${userId}`));
}

/** The 32-byte secret-storage key guarding her cross-signing keys and key backup. */
export async function deriveRecoveryKey(code: string, userId: string): Promise<Uint8Array<ArrayBuffer>> {
  return derive(code, `recovery:v1:${userId}`);
}
