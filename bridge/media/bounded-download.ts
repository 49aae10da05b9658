// Fetching an attachment from the hub into memory, never past a size limit.
import type { MatrixClient } from "matrix-js-sdk";

export type MediaDownloader = Pick<MatrixClient, "mxcUrlToHttp" | "getAccessToken">;

export type DownloadResult =
  { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too-large" | "download-failed" };

/**
 * Reads a body to its end unless it grows past `maxBytes`: then the stream is cancelled (the connection is dropped,
 * the rest never read) and the chunks read so far are zeroed.
 */
export async function readWithinLimit(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too-large" }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    chunks.push(value);
    if (total > maxBytes) {
      await reader.cancel();
      for (const chunk of chunks) chunk.fill(0);
      return { ok: false, reason: "too-large" };
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

export interface DownloadLimits {
  maxBytes: number;
  /** The whole download, headers to last byte: a stalled one must not hold up the case's other messages. */
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
}

/**
 * Downloads `mxc` through the authenticated media endpoint (`/_matrix/client/v1/media/download/…`). A declared
 * Content-Length over the limit is refused before the body is read; a body that outgrows it is cut off.
 */
export async function downloadWithinLimit(
  client: MediaDownloader,
  mxc: string,
  limits: DownloadLimits,
): Promise<DownloadResult> {
  const { maxBytes } = limits;
  const url = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
  if (url === null || url === "") return { ok: false, reason: "download-failed" };
  const controller = new AbortController();
  let response: Response;
  try {
    response = await (limits.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${client.getAccessToken() ?? ""}` },
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(limits.timeoutMs)]),
    });
  } catch {
    return { ok: false, reason: "download-failed" };
  }
  if (!response.ok || response.body === null) {
    controller.abort();
    return { ok: false, reason: "download-failed" };
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    controller.abort();
    return { ok: false, reason: "too-large" };
  }
  try {
    const read = await readWithinLimit(response.body, maxBytes);
    if (!read.ok) controller.abort();
    return read;
  } catch {
    controller.abort();
    return { ok: false, reason: "download-failed" };
  }
}
