import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type HavenDatabase } from "../../../core/db/open.ts";
import { createLogger } from "../../../core/log/logger.ts";
import { scryptCodeHasher } from "../../../webchat/server/code-hash.ts";
import type { HubAccounts } from "../../../webchat/server/hub-accounts.ts";
import { fixedWindowLimiter } from "../../../webchat/server/rate-limiter.ts";
import { trustedProxies } from "../../../webchat/server/client-address.ts";
import { startWebchat, type Webchat } from "../../../webchat/server/webchat-server.ts";

/** The hub as the web chat sees it: accounts in a map, tokens issued by the test. */
function fakeHub(): HubAccounts & { created: string[]; deactivated: string[]; tokens: Map<string, string> } {
  const created: string[] = [];
  const deactivated: string[] = [];
  const tokens = new Map<string, string>();
  return {
    created,
    deactivated,
    tokens,
    createAnonymous: async () => {
      const userId = `@webchat-${created.length}:hub`;
      created.push(userId);
      return { userId, temporaryPassword: "one-time" };
    },
    whoami: async (token) => tokens.get(token),
    deactivate: async (userId) => void deactivated.push(userId),
  };
}

const lookupA = "a".repeat(64);
const lookupB = "b".repeat(64);

describe("the web chat's HTTP endpoints", () => {
  let dir: string;
  let database: HavenDatabase;
  let webchat: Webchat;
  let hub: ReturnType<typeof fakeHub>;
  const erased: string[] = [];

  const options = (): Parameters<typeof startWebchat>[0] => ({
    host: "127.0.0.1",
    port: 0,
    title: "Weather <today>",
    exitUrl: "https://example.org/",
    intakeUserId: "@intake:hub",
    hubClientUrl: "http://127.0.0.1:9", // never reached by these tests
    assetsDir: dir,
    db: database.db,
    hub,
    hashCode: scryptCodeHasher(new Uint8Array(32).fill(7)),
    accountLimiter: fixedWindowLimiter({ perKey: 2, overall: 100, windowMs: 60_000, now: Date.now }),
    codeLimiter: fixedWindowLimiter({ perKey: 3, overall: 100, windowMs: 60_000, now: Date.now }),
    eraseSurvivor: async (userId) => void erased.push(userId),
    now: () => 1_000,
    logger: createLogger("fatal"),
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "haven-webchat-unit-"));
    await writeFile(join(dir, "index.html"), "<!doctype html><title>Chat</title><p>app</p>");
    database = await openDatabase({ url: ":memory:", dataDir: dir });
    hub = fakeHub();
    erased.length = 0;
    webchat = await startWebchat(options());
  });

  afterEach(async () => {
    await webchat.stop();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${webchat.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: webchat.url, ...headers },
      body: JSON.stringify(body),
    });

  it("serves the page with the configured title, escaped, and every security header", async () => {
    const response = await fetch(`${webchat.url}/`);
    expect(await response.text()).toContain("<title>Weather &#60;today&#62;</title>");
    expect(response.headers.get("content-security-policy")).toMatch(
      /^default-src 'none'; script-src 'self' 'wasm-unsafe-eval'/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await fetch(`${webchat.url}/../../etc/passwd`)).status).toBe(404);
  });

  it("creates an account for the page's own origin only, and stores a hash, not what the browser sent", async () => {
    expect((await post("/api/accounts", { lookup: lookupA }, { origin: "http://evil.example" })).status).toBe(403);
    const created = await post("/api/accounts", { lookup: lookupA });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ userId: "@webchat-0:hub", temporaryPassword: "one-time" });
    const rows = await database.db.selectFrom("webchat_accounts").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.code_hash).not.toBe(lookupA);
    expect((await post("/api/accounts", { lookup: lookupA })).status).toBe(409);
  });

  it("says clearly when one address has made too many accounts", async () => {
    expect((await post("/api/accounts", { lookup: lookupA })).status).toBe(201);
    expect((await post("/api/accounts", { lookup: lookupB })).status).toBe(201);
    const third = await post("/api/accounts", { lookup: "c".repeat(64) });
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ error: "too-many" });
    // A header of her own choosing changes nothing when no proxy is trusted.
    expect(
      (await post("/api/accounts", { lookup: "d".repeat(64) }, { "x-forwarded-for": "198.51.100.9" })).status,
    ).toBe(429);
    expect(hub.created).toHaveLength(2);
  });

  it("behind a trusted proxy, counts each survivor's own address, not the proxy's", async () => {
    await webchat.stop();
    webchat = await startWebchat({ ...options(), trustedProxies: trustedProxies(["127.0.0.1", "::1"]) });
    const from = (address: string) => ({ "x-forwarded-for": address });
    expect((await post("/api/accounts", { lookup: lookupA }, from("198.51.100.1"))).status).toBe(201);
    expect((await post("/api/accounts", { lookup: lookupB }, from("198.51.100.1"))).status).toBe(201);
    expect((await post("/api/accounts", { lookup: "c".repeat(64) }, from("198.51.100.1"))).status).toBe(429);
    expect((await post("/api/accounts", { lookup: "c".repeat(64) }, from("198.51.100.2"))).status).toBe(201);
    expect(hub.created).toHaveLength(3);
  });

  it("finds her account by her code; refuses unknown codes with one fixed answer; throttles attempts", async () => {
    await post("/api/accounts", { lookup: lookupA });
    const found = await post("/api/sessions", { lookup: lookupA });
    expect(await found.json()).toEqual({ userId: "@webchat-0:hub" });
    const wrong = [
      await post("/api/sessions", { lookup: lookupB }),
      await post("/api/sessions", { lookup: "0".repeat(64) }),
    ];
    const answers = await Promise.all(wrong.map(async (r) => [r.status, await r.text()]));
    expect(answers[0]).toEqual([401, '{"error":"unknown-code"}']);
    expect(answers[1]).toEqual(answers[0]);
    const throttled = await post("/api/sessions", { lookup: lookupA });
    expect(throttled.status).toBe(429);
    expect((await post("/api/sessions", { lookup: "not hex" })).status).toBe(400);
  });

  it("exit and erase: erases her conversation, deactivates her account and forgets her code", async () => {
    await post("/api/accounts", { lookup: lookupA });
    hub.tokens.set("her-token", "@webchat-0:hub");
    expect((await post("/api/erase", {}, { authorization: "Bearer someone-else" })).status).toBe(401);
    const response = await post("/api/erase", {}, { authorization: "Bearer her-token" });
    expect(response.status).toBe(200);
    expect(response.headers.get("clear-site-data")).toBe('"cache", "cookies", "storage"');
    expect(erased).toEqual(["@webchat-0:hub"]);
    expect(hub.deactivated).toEqual(["@webchat-0:hub"]);
    expect(await database.db.selectFrom("webchat_accounts").selectAll().execute()).toEqual([]);
    expect((await post("/api/sessions", { lookup: lookupA })).status).toBe(401);
  });
});
