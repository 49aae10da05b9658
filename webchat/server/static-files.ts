import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** A file of the built app by URL path, or undefined; never outside `root`. `/` is index.html. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  const relative = urlPath === "/" ? "index.html" : decodeURIComponent(urlPath).replace(/^\/+/, "");
  const path = resolve(root, relative);
  const contentType = CONTENT_TYPES[extname(path)];
  if (!path.startsWith(root + sep) || contentType === undefined) return undefined;
  try {
    return { body: await readFile(path), contentType };
  } catch {
    return undefined;
  }
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's title is the operator's choice (neutral, or a disguise); the build carries a placeholder. */
export function withTitle(indexHtml: Buffer, title: string): Buffer {
  return Buffer.from(
    indexHtml.toString("utf8").replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(title)}</title>`),
  );
}
