// Whether an error (or one it was caused by) says the disk under Haven's data is full: the filesystem's ENOSPC,
// EDQUOT or EFBIG, SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100).
const diskFullCodes = new Set(["ENOSPC", "EDQUOT", "EFBIG", "SQLITE_FULL", "53100"]);
// matrix-js-sdk's ConnectionError keeps only the message of what failed under fetch (e.g. writing the crypto
// state before a request): "fetch failed: ENOSPC: no space left on device, open '…'".
const inMessage = /\b(ENOSPC|EDQUOT|EFBIG): /;

/** The code that says so (e.g. "ENOSPC", "SQLITE_FULL"), or undefined for any other failure. */
export function diskFullCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 10; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && diskFullCodes.has(code)) return code;
    const named = typeof message === "string" ? inMessage.exec(message) : null;
    if (named) return named[1];
    current = cause;
  }
  return undefined;
}

export const isDiskFull = (error: unknown): boolean => diskFullCode(error) !== undefined;
