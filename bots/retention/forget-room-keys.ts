import type { MatrixClient } from "matrix-js-sdk";

/**
 * Deletes a room's keys from the bot's server-side key backup on the hub. The keys in the bot's own crypto store
 * stay: matrix-js-sdk's Rust crypto cannot forget a room's inbound sessions (decision 0013). False when the bot has
 * no active backup.
 */
export async function forgetRoomKeysInBackup(client: MatrixClient, roomId: string): Promise<boolean> {
  const version = await client.getCrypto()?.getActiveSessionBackupVersion();
  if (version === null || version === undefined) return false;
  await client.deleteKeysFromBackup(roomId, undefined, version);
  return true;
}
