/*
 * Matrix server names and user IDs, per the spec's grammar (appendices: server name, user identifiers).
 * Parsed once here, at the edge; the rest of Haven receives them typed.
 */

export type MatrixUserId = `@${string}:${string}`;

const hostname = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,255})`;
const serverNamePattern = new RegExp(String.raw`^${hostname}(?::(\d{1,5}))?$`);
const userIdPattern = new RegExp(String.raw`^@([a-z0-9._=\-/+]+):(.+)$`);

/** `hub.example.org`, `hub.example.org:8448`, `127.0.0.1:8008`, `[::1]:8448`. */
export function isServerName(text: string): boolean {
  const match = serverNamePattern.exec(text);
  if (match === null) return false;
  const port = match[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/** `@intake:hub.example.org` (at most 255 bytes, lower-case localpart as the spec requires of new IDs). */
export function isMatrixUserId(text: string): text is MatrixUserId {
  if (Buffer.byteLength(text) > 255) return false;
  const server = userIdPattern.exec(text)?.[2];
  return server !== undefined && isServerName(server);
}

/** The server part of a user ID: everything after the first colon. */
export function serverNameOf(userId: MatrixUserId): string {
  return userId.slice(userId.indexOf(":") + 1);
}
