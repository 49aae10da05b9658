import { readSealedFile, writeSealedFile } from "./sealed-file.ts";

export interface BotSession {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

const purpose = "matrix session";

export async function readSession(path: string, storageKey: Uint8Array): Promise<BotSession | undefined> {
  const plain = await readSealedFile(path, storageKey, purpose);
  return plain === undefined ? undefined : (JSON.parse(plain.toString("utf8")) as BotSession);
}

export async function writeSession(path: string, session: BotSession, storageKey: Uint8Array): Promise<void> {
  await writeSealedFile(path, Buffer.from(JSON.stringify(session)), storageKey, purpose);
}
