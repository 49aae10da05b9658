import { join } from "node:path";

/** Where one bot account keeps its state under the data directory; every file is sealed with the storage key. */
export function botStateDir(dataDir: string, userId: string): string {
  return join(dataDir, "matrix", userId.replace(/[^A-Za-z0-9._=-]/g, "_"));
}

export function botFiles(stateDir: string): { session: string; cryptoStore: string; recoveryKey: string } {
  return {
    session: join(stateDir, "session.sealed"),
    cryptoStore: join(stateDir, "crypto-store.sealed"),
    recoveryKey: join(stateDir, "recovery-key.sealed"),
  };
}
