import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { BlockList, type AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../../core/db/schema.ts";
import {
  deleteWebchatAccount,
  getWebchatAccountByHash,
  getWebchatAccountByUser,
  insertWebchatAccount,
} from "../../core/db/repositories/webchat-accounts.ts";
import { safeError } from "../../core/log/safe-error.ts";
import { API, LOOKUP_FORMAT, type ApiRefusal, type WebchatRuntimeConfig } from "../shared/api.ts";
import type { CodeHasher } from "./code-hash.ts";
import type { HubAccounts } from "./hub-accounts.ts";
import { proxyToHub } from "./hub-proxy.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { clientAddressOf } from "./client-address.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";
import { readStaticFile, withTitle } from "./static-files.ts";

export interface WebchatDeps {
  host: string;
  port: number;
  /** Requests to the API must carry this Origin; unset: http://<Host header>. */
  publicOrigin?: string;
  title: string;
  exitUrl: string;
  intakeUserId: string;
  hubClientUrl: string;
  assetsDir: string;
  /** Proxies whose X-Forwarded-For names the client address (see client-address.ts); none by default. */
  trustedProxies?: BlockList;
  db: Kysely<Database>;
  hub: HubAccounts;
  hashCode: CodeHasher;
  accountLimiter: RateLimiter;
  codeLimiter: RateLimiter;
  /** Haven's quick-exit erasure of her conversation (her rooms redacted and purged, the case erased). */
  eraseSurvivor: (userId: string) => Promise<void>;
  now: () => number;
  logger: Logger;
}

export interface Webchat {
  /** Where it listens, e.g. http://127.0.0.1:8091. */
  readonly url: string;
  stop(): Promise<void>;
}

class Refusal extends Error {
  readonly status: number;
  readonly code: ApiRefusal["error"];
  constructor(status: number, code: ApiRefusal["error"]) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

function send(response: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json", ...extra });
  response.end(JSON.stringify(body));
}

async function readLookup(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request as AsyncIterable<Buffer>) {
    text += chunk.toString("utf8");
    if (text.length > 1024) throw new Refusal(400, "bad-request");
  }
  let lookup: unknown;
  try {
    lookup = (JSON.parse(text) as { lookup?: unknown }).lookup;
  } catch {
    throw new Refusal(400, "bad-request");
  }
  if (typeof lookup !== "string" || !LOOKUP_FORMAT.test(lookup)) throw new Refusal(400, "bad-request");
  return lookup;
}

/**
 * The web chat's HTTP server: the built app, its runtime config, the anonymous-account, return-code and erase
 * endpoints, and a pass-through to the hub's client API so that the page never talks to another origin.
 */
export async function startWebchat(deps: WebchatDeps): Promise<Webchat> {
  const { db, hub, logger } = deps;
  const proxies = deps.trustedProxies ?? new BlockList();
  const clientAddress = (request: IncomingMessage): string =>
    clientAddressOf(request.socket.remoteAddress, request.headers["x-forwarded-for"], proxies);

  const checkOrigin = (request: IncomingMessage): void => {
    const expected = deps.publicOrigin ?? `http://${request.headers.host ?? ""}`;
    if (request.headers.origin !== expected) throw new Refusal(403, "forbidden-origin");
  };

  const createAccount = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    checkOrigin(request);
    const lookup = await readLookup(request);
    if (!deps.accountLimiter.allow(clientAddress(request))) throw new Refusal(429, "too-many");
    const codeHash = await deps.hashCode(lookup);
    if (await getWebchatAccountByHash(db, codeHash)) throw new Refusal(409, "code-taken");
    const account = await hub.createAnonymous();
    if (!(await insertWebchatAccount(db, { code_hash: codeHash, user_id: account.userId, created_at: deps.now() }))) {
      await hub.deactivate(account.userId);
      throw new Refusal(409, "code-taken");
    }
    logger.info("web chat account created");
    send(response, 201, account);
  };

  // Right or wrong, every attempt costs the same scrypt and one indexed lookup; a refusal is one fixed body.
  const openSession = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    checkOrigin(request);
    const lookup = await readLookup(request);
    if (!deps.codeLimiter.allow(clientAddress(request))) throw new Refusal(429, "too-many");
    const account = await getWebchatAccountByHash(db, await deps.hashCode(lookup));
    if (account === undefined) throw new Refusal(401, "unknown-code");
    send(response, 200, { userId: account.user_id });
  };

  const erase = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    checkOrigin(request);
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
    const userId = token === undefined ? undefined : await hub.whoami(token);
    if (userId === undefined || (await getWebchatAccountByUser(db, userId)) === undefined) {
      throw new Refusal(401, "unknown-code");
    }
    await deps.eraseSurvivor(userId);
    await hub.deactivate(userId);
    await deleteWebchatAccount(db, userId);
    logger.info("web chat account erased");
    send(response, 200, {}, { "clear-site-data": '"cache", "cookies", "storage"' });
  };

  const runtimeConfig: WebchatRuntimeConfig = { intakeUserId: deps.intakeUserId, exitUrl: deps.exitUrl };

  // Phones on slow connections: the built files never change while the process runs, so each is gzipped once.
  const gzipped = new Map<string, Buffer>();
  const compressed = (path: string, body: Buffer): Buffer => {
    let zipped = gzipped.get(path);
    if (zipped === undefined) gzipped.set(path, (zipped = gzipSync(body, { level: 9 })));
    return zipped;
  };

  const serveFile = async (path: string, request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const file = await readStaticFile(deps.assetsDir, path);
    if (file === undefined) {
      response.writeHead(404, { ...SECURITY_HEADERS, "content-type": "text/plain" });
      response.end("Not found");
      return;
    }
    const body = path === "/" || path === "/index.html" ? withTitle(file.body, deps.title) : file.body;
    const gzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": file.contentType,
      vary: "accept-encoding",
      ...(gzip && { "content-encoding": "gzip" }),
    });
    response.end(gzip ? compressed(path, body) : body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? "/", "http://webchat").pathname;
    if (path.startsWith("/_matrix/client/")) return proxyToHub(deps.hubClientUrl, request, response, SECURITY_HEADERS);
    if (request.method === "POST" && path === API.accounts) return createAccount(request, response);
    if (request.method === "POST" && path === API.sessions) return openSession(request, response);
    if (request.method === "POST" && path === API.erase) return erase(request, response);
    if (request.method === "GET" && path === API.config) return send(response, 200, runtimeConfig);
    if (request.method === "GET" || request.method === "HEAD") return serveFile(path, request, response);
    send(response, 405, { error: "bad-request" });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof Refusal) return send(response, error.status, { error: error.code });
      logger.error({ err: safeError(error) }, "web chat request failed");
      if (!response.headersSent) send(response, 503, { error: "unavailable" });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${deps.host}:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
