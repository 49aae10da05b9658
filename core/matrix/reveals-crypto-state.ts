/**
 * Whether a request to the homeserver may let the server learn crypto state that must already be on disk
 * (decision 0002, narrowed by decision 0021). Anything not known to be harmless counts as revealing, so a request
 * type the SDK adds later is flushed for, not skipped.
 *
 * Revealing: `/sync` (a new `since` drops the to-device messages, room keys among them, that the server already
 * sent), `/keys/upload`, `/keys/claim` and cross-signing uploads, `/sendToDevice`, sends of `m.room.encrypted`
 * (an advanced megolm index), key backup and dehydrated-device calls, account data (secret storage).
 *
 * Harmless: reads other than `/sync` (history, members, state, `/keys/query`, which only asks about other devices),
 * and the writes that carry no crypto state: plaintext and state events, redactions, membership changes, room
 * creation, receipts, typing, media uploads (an attachment's key travels inside the encrypted event) and Synapse's
 * admin API.
 */
export function revealsCryptoState(method: string, url: string): boolean {
  const path = new URL(url).pathname;
  if (path.startsWith("/_synapse/admin/")) return false;
  if (path.startsWith("/_matrix/media/") || path.startsWith("/_matrix/client/v1/media/")) return false;
  const client = /^\/_matrix\/client\/[^/]+(\/.*)$/.exec(path)?.[1];
  if (client === undefined) return true;
  if (client === "/sync") return true;
  if (method === "GET" || method === "HEAD") return false;
  if (client === "/keys/query") return false;
  const sentType = /^\/rooms\/[^/]+\/send\/([^/]+)\//.exec(client)?.[1];
  if (sentType !== undefined) return decodeURIComponent(sentType) === "m.room.encrypted";
  return !harmlessWrites.some((pattern) => pattern.test(client));
}

const harmlessWrites: readonly RegExp[] = [
  /^\/rooms\/[^/]+\/(state|redact|receipt|typing|read_markers|join|leave|forget|invite|kick|ban|unban)(\/|$)/,
  /^\/join\//,
  /^\/createRoom$/,
  /^\/profile\//,
  /^\/user\/[^/]+\/filter$/,
];
