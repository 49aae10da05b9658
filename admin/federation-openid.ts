// Asks a homeserver's federation API who owns an OpenID token (GET /_matrix/federation/v1/openid/userinfo).
// Server discovery: an explicit port or an IP literal is used as is; otherwise /.well-known/matrix/server
// delegation, else port 8448. SRV records are not consulted (the coalition's servers use well-known or a port).
import { request } from "node:https";
import { isIP } from "node:net";
import type { OpenidUserinfo } from "./deps.ts";

export interface FederationOpenidOptions {
  /** Extra trusted CA certificates (PEM), e.g. a private CA of the coalition or a test CA. */
  readonly ca?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

const MAX_BODY = 16 * 1024;

function getJson(url: URL, options: FederationOpenidOptions): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "GET", timeout: options.timeoutMs ?? 10_000, ...(options.ca !== undefined && { ca: options.ca }) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) req.destroy(new Error("response too large"));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

function splitHostPort(name: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(name);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  const colon = name.lastIndexOf(":");
  if (colon > 0 && /^\d+$/.test(name.slice(colon + 1))) {
    return { host: name.slice(0, colon), port: Number(name.slice(colon + 1)) };
  }
  return { host: name, port: undefined };
}

function origin(host: string, port: number): string {
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** The https origin of `serverName`'s federation API. */
export async function resolveFederationOrigin(serverName: string, options: FederationOpenidOptions): Promise<string> {
  const { host, port } = splitHostPort(serverName);
  if (port !== undefined) return origin(host, port);
  if (isIP(host) !== 0) return origin(host, 8448);
  try {
    const { status, body } = await getJson(new URL(`https://${host}/.well-known/matrix/server`), options);
    const delegated = (body as { "m.server"?: unknown } | undefined)?.["m.server"];
    if (status === 200 && typeof delegated === "string" && delegated !== "") {
      const target = splitHostPort(delegated);
      return origin(target.host, target.port ?? 8448);
    }
  } catch {
    // No well-known: the server itself on 8448.
  }
  return origin(host, 8448);
}

export function federationOpenidUserinfo(options: FederationOpenidOptions = {}) {
  return async (serverName: string, accessToken: string): Promise<OpenidUserinfo> => {
    try {
      const base = await resolveFederationOrigin(serverName, options);
      const url = new URL("/_matrix/federation/v1/openid/userinfo", base);
      url.searchParams.set("access_token", accessToken);
      const { status, body } = await getJson(url, options);
      const sub = (body as { sub?: unknown } | undefined)?.sub;
      if (status === 200 && typeof sub === "string") return { ok: true, userId: sub };
      return { ok: false, reason: `the homeserver did not accept the token (HTTP ${status})` };
    } catch {
      return { ok: false, reason: "the homeserver could not be asked" };
    }
  };
}
