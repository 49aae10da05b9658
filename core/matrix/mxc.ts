// Matrix content URIs (mxc://<server name>/<media id>) and the server a user belongs to.

export interface MediaLocation {
  serverName: string;
  mediaId: string;
}

const mxcPattern = /^mxc:\/\/([A-Za-z0-9.:[\]-]+)\/([A-Za-z0-9_-]+)$/;

export function parseMxc(uri: unknown): MediaLocation | undefined {
  if (typeof uri !== "string") return undefined;
  const match = mxcPattern.exec(uri);
  return match ? { serverName: match[1]!, mediaId: match[2]! } : undefined;
}

/** `@intake:hub.example.org` → `hub.example.org`. */
export function serverNameOf(userId: string): string {
  return userId.slice(userId.indexOf(":") + 1);
}
