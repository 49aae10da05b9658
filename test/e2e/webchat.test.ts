import { readdir, readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { categories, provinces } from "../../core/directory/index.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { sql } from "kysely";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { translate } from "../../core/i18n/translate.ts";
import { SECURITY_HEADERS } from "../../webchat/server/security-headers.ts";
import { buildWebchat, launchChromium } from "../harness/browser.ts";
import { BotProcess } from "../harness/bot-process.ts";
import {
  createEncryptedRoom,
  joinOnceTheHubHasTheInvite,
  nextInvite,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { freePort, startFederation, type Federation, type RegisteredUser } from "../harness/synapse.ts";
import { Canaries, expectNoCanaries } from "../harness/canary.ts";

const n = (list: readonly string[], item: string): string => String(list.indexOf(item) + 1);
const screenshots = resolve(import.meta.dirname, "../../docs/webchat");

/** A neutral site on another origin, where quick exit lands. */
async function startNeutralSite(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<!doctype html><title>Weather</title><p>Sunny, 33 °C</p>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/weather` };
}

/**
 * The branded web chat in headless Chromium, against the real Haven process and real Synapse servers: a survivor
 * with no account starts a chat, in Khmer, asks for help, is routed and claimed; quick exit leaves nothing behind;
 * her return code brings the conversation back in a fresh browser.
 */
describe("the web chat, in a real browser", () => {
  let federation: Federation;
  let dir: string;
  let haven: BotProcess;
  let database: HavenDatabase;
  let browser: Browser;
  let neutral: { server: Server; url: string };
  let chatUrl: string;
  let responder: TestClient;
  let queue: { roomId: string; seen: TimelineRecorder };
  let router: RegisteredUser;
  const foreignRequests: string[] = [];
  let returnCode = "";
  let caseCode = "";
  const canaries = new Canaries();

  /** Any request to an origin other than the chat's fails the test; the exit navigation is the one exception. */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
    context.on("request", (request) => {
      const url = request.url();
      if (new URL(url).origin !== new URL(chatUrl).origin && url !== neutral.url) foreignRequests.push(url);
    });
    return context;
  }

  async function chatText(page: Page): Promise<string> {
    return (await page.getByTestId("messages").textContent()) ?? "";
  }

  async function waitForChatText(page: Page, expected: string): Promise<void> {
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="messages"]')?.textContent?.includes(text) === true,
      expected,
      { timeout: 60_000 },
    );
  }

  /** Writes in the active room and waits for the bot's answer to contain `until`. */
  async function say(page: Page, text: string, until: string): Promise<void> {
    const before = (await chatText(page)).split(until).length;
    await page.getByTestId("composer").fill(text);
    await page.getByTestId("send").click();
    await page.waitForFunction(
      ([needle, count]) =>
        (document.querySelector('[data-testid="messages"]')?.textContent ?? "").split(needle).length > count,
      [until, before] as const,
      { timeout: 60_000 },
    );
  }

  beforeAll(async () => {
    federation = await startFederation();
    dir = await mkdtemp(join(tmpdir(), "haven-webchat-"));
    const hub = federation.server("hub");
    const [intake, routerAccount, admin, a1] = await Promise.all([
      hub.registerUser("intake"),
      hub.registerUser("router"),
      hub.registerUser("haven-admin", { admin: true }),
      federation.server("partner-a").registerUser("a1"),
    ]);
    router = routerAccount;
    const assetsDir = join(dir, "webchat");
    await buildWebchat(assetsDir);
    neutral = await startNeutralSite();
    const orgsFile = join(dir, "organisations.yaml");
    await writeFile(
      orgsFile,
      stringify({
        fallbackOrganisation: "ngo-a",
        organisations: [
          {
            id: "ngo-a",
            name: { km: "អង្គការ ក", en: "Organisation A" },
            shortName: { km: "ក", en: "A" },
            homeserver: federation.server("partner-a").serverName,
            responders: [a1.userId],
            categories: ["domestic_violence"],
            provinces: ["nationwide"],
            languages: ["km", "en"],
            alwaysOpen: true,
            capacity: { maxActiveCases: 20, maxActivePerResponder: 20 },
            claimSlaMs: 600_000,
            childProtection: true,
          },
        ],
        rules: [{ id: "dv-a", match: { categories: ["domestic_violence"] }, offerTo: ["ngo-a"] }],
      }),
    );
    const port = await freePort();
    chatUrl = `http://127.0.0.1:${port}`;
    const configPath = join(dir, "haven.yaml");
    await writeFile(
      configPath,
      stringify({
        dataDir: join(dir, "data"),
        log: { level: "debug" },
        hub: { serverName: hub.serverName, clientUrl: hub.clientUrl, adminToken: { env: "TEST_ADMIN_TOKEN" } },
        bots: {
          intake: { userId: intake.userId, password: { env: "TEST_INTAKE_PASSWORD" } },
          router: { userId: router.userId, password: { env: "TEST_ROUTER_PASSWORD" } },
        },
        federation: { allowedServers: federation.servers.slice(1).map((s) => s.serverName) },
        retention: { defaultMaxLifetime: "30d" },
        directory: { seedFile: resolve("config/directory.sample.yaml") },
        routing: { organisationsFile: orgsFile },
        webchat: { enabled: true, port, title: "Notes", exitUrl: neutral.url, assetsDir },
      }),
    );
    haven = new BotProcess(
      "bin/haven.ts",
      {
        HAVEN_CONFIG: configPath,
        TEST_INTAKE_PASSWORD: intake.password,
        TEST_ROUTER_PASSWORD: router.password,
        TEST_ADMIN_TOKEN: admin.accessToken,
      },
      { args: ["start"], readyFrom: (line) => (line.includes('"msg":"haven ready"') ? "ready" : undefined) },
    );
    await haven.start().ready;
    database = await openHavenDatabase(join(dir, "data"));

    responder = await startTestClient(federation.server("partner-a"), a1);
    const roomId = await createEncryptedRoom(responder.client, [router.userId]);
    await waitForMembership(responder.client, roomId, router.userId, "join");
    queue = { roomId, seen: new TimelineRecorder(responder.client, roomId) };
    browser = await launchChromium();
  }, 300_000); // three Synapses, the Haven process and a browser, on a machine shared with other suites

  afterAll(async () => {
    await browser?.close();
    queue?.seen.stop();
    await responder?.stop();
    await haven?.stop();
    await database?.close();
    neutral?.server.close();
    await federation?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the page with a strict CSP, no referrer, no caching, the configured neutral title", async () => {
    const response = await fetch(`${chatUrl}/`);
    expect(response.status).toBe(200);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name), name).toBe(value);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(response.headers.get("set-cookie")).toBeNull();
    const html = await response.text();
    expect(html).toContain("<title>Notes</title>");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    for (const path of ["/config.json", "/_matrix/client/versions"]) {
      const other = await fetch(`${chatUrl}${path}`);
      expect(other.headers.get("cache-control"), path).toBe("no-store");
      expect(other.headers.get("referrer-policy"), path).toBe("no-referrer");
    }
  });

  it("refuses to create an account for a request without the page's own origin", async () => {
    const body = JSON.stringify({ lookup: "a".repeat(64) });
    const headers = { "content-type": "application/json" };
    const none = await fetch(`${chatUrl}/api/accounts`, { method: "POST", headers, body });
    const foreign = await fetch(`${chatUrl}/api/accounts`, {
      method: "POST",
      headers: { ...headers, origin: "https://evil.example" },
      body,
    });
    expect([none.status, foreign.status]).toEqual([403, 403]);
    expect(await foreign.json()).toEqual({ error: "forbidden-origin" });
    expect(await database.db.selectFrom("webchat_accounts").selectAll().execute()).toEqual([]);
  });

  it("a survivor starts a chat in Khmer, asks for help, is routed and claimed by a partner, and sees the reply", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${chatUrl}/`);
    await page.getByTestId("start").waitFor();
    expect(await page.title()).toBe("Notes");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("km");
    await page.screenshot({ path: join(screenshots, "start-km.png") });
    await page.getByTestId("language").click();
    await expect.poll(() => page.getByTestId("start").textContent()).toBe(translate("en", "webchat.start.button"));
    await page.screenshot({ path: join(screenshots, "start-en.png") });
    await page.getByTestId("language").click(); // back to Khmer
    await expect.poll(() => page.getByTestId("start").textContent()).toBe(translate("km", "webchat.start.button"));

    await page.getByTestId("start").click();
    await page.getByTestId("return-code").waitFor({ timeout: 60_000 });
    returnCode = ((await page.getByTestId("return-code").textContent()) ?? "").replace(/\D/g, "");
    expect(returnCode).toMatch(/^\d{12}$/);
    await page.screenshot({ path: join(screenshots, "code-km.png") });
    await page.getByTestId("code-done").click();

    await waitForChatText(page, translate("km", "welcome.first"));
    await say(page, "1", translate("km", "menu.title"));
    await say(page, "2", translate("km", "triage.kindQuestion"));
    await say(page, n(categories, "domestic_violence"), translate("km", "triage.provinceQuestion"));
    await say(page, n(provinces, "phnom_penh"), translate("km", "triage.languageQuestion"));
    await say(page, "1", translate("km", "triage.dangerQuestion"));
    await say(page, "2", translate("km", "triage.ageQuestion"));
    await say(page, "2", translate("km", "triage.consentQuestion"));
    await say(page, "1", translate("km", "menu.title"));
    caseCode = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(await chatText(page))![0];
    await page.screenshot({ path: join(screenshots, "chat-km.png") });

    // She is in her case room: she sees who keeps what, and for how long.
    await page.getByTestId("tab-case").click({ timeout: 60_000 });
    await waitForChatText(page, caseCode);
    expect(await page.getByTestId("case-about").textContent()).toContain(caseCode);

    await queue.seen.waitFor("the offer in A's queue room", () =>
      queue.seen.messages(router.userId).some((e) => String(e.getContent().body).includes(caseCode)),
    );
    await responder.client.sendTextMessage(queue.roomId, `!claim ${caseCode}`);
    await expect
      .poll(async () => (await getCaseByCode(database.db, caseCode))?.state, { timeout: 60_000 })
      .toBe("claimed");

    // The bridge: the responder joins the org-side room; she is told in Khmer who has her case; they talk.
    const orgRoomId = await nextInvite(responder, [queue.roomId], 60_000);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    await waitForChatText(page, translate("km", "bridge.caseTaken", { org: "ក" }));
    // The words in the committed screenshots stay as they are; the canary check looks for them as they are.
    await page.getByTestId("composer").fill(canaries.watch("សួស្តី តើមាននរណានៅទីនោះទេ?"));
    await page.getByTestId("send").click();
    await orgRoom.waitFor("her message in the org-side room", () =>
      orgRoom.messages().some((e) => String(e.getContent().body).includes("តើមាននរណានៅទីនោះទេ")),
    );
    await responder.client.sendTextMessage(orgRoomId, canaries.watch("យើងនៅទីនេះ។ តើអ្នកមានសុវត្ថិភាពទេ?"));
    await waitForChatText(page, "យើងនៅទីនេះ។ តើអ្នកមានសុវត្ថិភាពទេ?");
    await page.screenshot({ path: join(screenshots, "case-km.png"), fullPage: true });
    await page.getByTestId("language").click();
    await page.screenshot({ path: join(screenshots, "case-en.png"), fullPage: true });
    await page.getByTestId("language").click();
    const more = canaries.mark("ខ្ញុំនៅផ្ទះ");
    await page.getByTestId("composer").fill(more);
    await page.getByTestId("send").click();
    await orgRoom.waitFor("her second message", () =>
      orgRoom.messages().some((e) => String(e.getContent().body).includes(more)),
    );
    const answer = canaries.mark("យល់ហើយ");
    await responder.client.sendTextMessage(orgRoomId, answer);
    await waitForChatText(page, answer);
    orgRoom.stop();
    expect(foreignRequests).toEqual([]);

    // Her code can restore everything only once her room keys are in the backup.
    await page.locator('[data-keys-saved="true"]').waitFor({ timeout: 60_000 });

    // Quick exit: Esc twice. The neutral site replaces the chat; "back" does not bring it back.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.waitForURL(neutral.url);
    await page.goBack().catch(() => undefined);
    expect(page.url()).not.toContain(chatUrl);
    expect(await page.getByTestId("chat").count()).toBe(0);

    // Nothing of hers is left for the chat's origin: look from a document of that origin that runs no app.
    await page.goto(`${chatUrl}/config.json`);
    const left = await page.evaluate(async () => ({
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      indexedDB: (await indexedDB.databases()).length,
      cookies: document.cookie,
      caches: (await caches.keys()).length,
    }));
    expect(left).toEqual({ localStorage: 0, sessionStorage: 0, indexedDB: 0, cookies: "", caches: 0 });
    expect(await context.cookies()).toEqual([]);
    await context.close();
    expect(foreignRequests).toEqual([]);
  });

  it("her return code brings the conversation back in a fresh browser; a wrong code is refused like any unknown one", async () => {
    expect(returnCode).not.toBe("");
    const refusals = await Promise.all(
      ["0".repeat(64), "f".repeat(64)].map(async (lookup) => {
        const response = await fetch(`${chatUrl}/api/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: chatUrl },
          body: JSON.stringify({ lookup }),
        });
        return { status: response.status, body: await response.text() };
      }),
    );
    expect(refusals[0]).toEqual({ status: 401, body: JSON.stringify({ error: "unknown-code" }) });
    expect(refusals[1]).toEqual(refusals[0]);

    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${chatUrl}/`);
    await page.getByTestId("have-code").click();
    const wrong = returnCode.slice(0, 11) + String((Number(returnCode[11]) + 1) % 10);
    await page.getByTestId("code-input").fill(wrong);
    await page.getByTestId("code-submit").click();
    await expect
      .poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 })
      .toBe(translate("km", "webchat.restore.wrong"));
    await page.screenshot({ path: join(screenshots, "wrong-code-km.png") });

    await page.getByTestId("code-input").fill(returnCode);
    await page.getByTestId("code-submit").click();
    await page.getByTestId("chat").waitFor({ timeout: 60_000 });
    await waitForChatText(page, translate("km", "triage.consentQuestion"));
    expect(await chatText(page)).toContain(caseCode);
    await context.close();

    if (process.env["HAVEN_DATABASE_URL"] === undefined) {
      // The database file and its write-ahead log (WAL mode: recent writes live there until a checkpoint).
      const files = (await readdir(join(dir, "data"))).filter((name) => name.startsWith("haven.sqlite"));
      expect(files).toEqual(expect.arrayContaining(["haven.sqlite", "haven.sqlite-wal"]));
      for (const name of files) {
        const file = await readFile(join(dir, "data", name));
        expect(file.includes(returnCode), name).toBe(false);
        expect(file.includes(Buffer.from(returnCode, "utf16le")), name).toBe(false);
      }
    } else {
      const { rows: dump } = await sql<{ row: unknown }>`
        SELECT row_to_json(t) AS row FROM webchat_accounts t
        UNION ALL SELECT row_to_json(t) FROM intake_conversations t
        UNION ALL SELECT row_to_json(t) FROM audit_log t`.execute(database.db);
      expect(dump.length).toBeGreaterThan(0);
      expect(JSON.stringify(dump)).not.toContain(returnCode);
    }
    const rows = await database.db.selectFrom("webchat_accounts").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(foreignRequests).toEqual([]);
  });

  it("exit and erase: she lands on the neutral site and Haven erases her account and forgets her code", async () => {
    const accounts = async () => (await database.db.selectFrom("webchat_accounts").select("user_id").execute()).length;
    const before = await accounts();
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${chatUrl}/`);
    await page.getByTestId("start").click();
    await page.getByTestId("code-done").click({ timeout: 60_000 });
    await waitForChatText(page, translate("km", "welcome.first"));
    await say(page, "1", translate("km", "menu.title"));
    expect(await accounts()).toBe(before + 1);
    const conversations = async () =>
      (await database.db.selectFrom("intake_conversations").select("survivor_mxid").execute()).map(
        (row) => row.survivor_mxid,
      );
    const known = new Set(
      (await database.db.selectFrom("webchat_accounts").select("user_id").execute()).map((r) => r.user_id),
    );
    const hers = (await conversations()).filter((id) => known.has(id));
    await page.getByTestId("exit-erase").click();
    await page.waitForURL(neutral.url);
    await expect.poll(accounts, { timeout: 30_000 }).toBe(before);
    // The intake bot's quick exit ran for her: her conversation with it is forgotten.
    const after = await conversations();
    expect(hers.filter((id) => !after.includes(id))).toHaveLength(1);
    await context.close();
    expect(foreignRequests).toEqual([]);
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await haven.stop();
    await expectNoCanaries(canaries, { dataDir: join(dir, "data"), log: haven.output, database }, 4);
  });
});
