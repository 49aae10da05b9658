import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

// Only what a Matrix client sends; cookies and forwarding headers stay behind.
const FORWARDED_REQUEST_HEADERS = ["authorization", "content-type", "accept"] as const;
const FORWARDED_RESPONSE_HEADERS = ["content-type", "content-disposition"] as const;

/**
 * Passes the page's Matrix client-server API calls to the hub, so that the page talks to its own origin only
 * (the CSP allows nothing else) and the hub sees Haven's address, not hers.
 */
export async function proxyToHub(
  clientUrl: string,
  request: IncomingMessage,
  response: ServerResponse,
  headers: Readonly<Record<string, string>>,
): Promise<void> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === "string") forwarded[name] = value;
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const upstream = await fetch(`${clientUrl}${request.url ?? "/"}`, {
    method: request.method ?? "GET",
    headers: forwarded,
    ...(hasBody && { body: Readable.toWeb(request) as ReadableStream, duplex: "half" }),
  });
  const out: Record<string, string> = { ...headers };
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) out[name] = value;
  }
  response.writeHead(upstream.status, out);
  if (upstream.body === null) {
    response.end();
    return;
  }
  Readable.fromWeb(upstream.body as never).pipe(response);
}
