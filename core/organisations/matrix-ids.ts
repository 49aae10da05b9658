// Matrix server names, user IDs and room IDs, per the spec's grammar (appendices: server name, identifiers).
// The same grammar as config/matrix-names.ts, kept here because core/ imports nothing from config/.
import type { MatrixUserId } from "./organisation.ts";

const hostname = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,255})`;
const serverNamePattern = new RegExp(String.raw`^${hostname}(?::(\d{1,5}))?$`);
const userIdPattern = new RegExp(String.raw`^@([a-z0-9._=\-/+]+):(.+)$`);
// Room IDs are opaque: `!opaque:server` up to room version 11, `!opaque` from version 12.
const roomIdPattern = /^![\x21-\x7e]+$/;

const utf8 = new TextEncoder();

/** `hub.example.org`, `hub.example.org:8448`, `127.0.0.1:8008`, `[::1]:8448`. */
export function isServerName(text: string): boolean {
  const match = serverNamePattern.exec(text);
  if (match === null) return false;
  const port = match[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/** `@counsellor1:ngo-a.example.org` (at most 255 bytes, lower-case localpart as the spec requires of new IDs). */
export function isMatrixUserId(text: string): text is MatrixUserId {
  if (utf8.encode(text).length > 255) return false;
  const server = userIdPattern.exec(text)?.[2];
  return server !== undefined && isServerName(server);
}

/** The server part of a user ID: everything after the first colon. */
export function serverNameOf(userId: MatrixUserId): string {
  return userId.slice(userId.indexOf(":") + 1);
}

/** `!abc123:ngo-a.example.org` or `!abc123` (room version 12): printable ASCII after `!`, at most 255 bytes. */
export function isRoomId(text: string): boolean {
  return text.length <= 255 && roomIdPattern.test(text);
}
