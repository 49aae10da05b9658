import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "matrix-js-sdk";
import { startBotClient, type BotClient } from "../../core/matrix/bot-client.ts";
import { botStateDir } from "../../core/matrix/bot-files.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { listOrganisations, replaceAllOrganisations } from "../../core/db/repositories/organisations.ts";
import { latestEarlierConversationQuestion } from "../../core/db/repositories/earlier-conversation.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { startBridge, type Bridge } from "../../bridge/start-bridge.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { bridgeOrganisation, claimedCase } from "../harness/bridge-case.ts";
import type { Organisation } from "../../core/organisations/index.ts";
import {
  joinOnceTheHubHasTheInvite,
  nextInvite,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { Canaries, expectNoCanaries, fileLogger } from "../harness/canary.ts";

const retentionMs = 7 * 24 * 60 * 60_000;
const bodies = (events: readonly MatrixEvent[]): string[] => events.map((e) => String(e.getContent().body));

/**
 * A transfer from organisation A to B: she is asked, in her language, whether B may read the earlier
 * conversation. Yes: B's new room starts with the text relayed between her and A (read back from A's room,
 * marked as earlier messages, no staff notes, no files). No: B gets only what she writes from then on.
 */
describe("bridge: the earlier conversation on a transfer, only with her agreement", () => {
  let federation: Federation;
  let dataDir: string;
  let database: HavenDatabase;
  let bot: BotClient;
  let bridge: Bridge;
  const people: TestClient[] = [];
  /** Every test adds its own two organisations: a case of an earlier test keeps its own. */
  const organisations: Organisation[] = [];
  const recorders: TimelineRecorder[] = [];
  const canaries = new Canaries();
  let log: ReturnType<typeof fileLogger>;

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-bridge-transfer-"));
    database = await openHavenDatabase(dataDir);
    log = fileLogger(join(dataDir, "haven.log"));
    const account = await federation.server("hub").registerUser("intake");
    bot = await startBotClient({
      homeserverUrl: federation.server("hub").clientUrl,
      userId: account.userId,
      password: account.password,
      stateDir: botStateDir(dataDir, account.userId),
      storageKey: randomBytes(32),
      logger: log.logger,
    });
    bridge = startBridge({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, `${bot.userId}#bridge`),
      logger: log.logger,
      organisations: () => listOrganisations(database.db),
      retentionMs,
      tickMs: 250,
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    for (const recorder of recorders) recorder.stop();
    await Promise.all(people.map((p) => p.stop()));
    await bot?.stop();
    await database?.close();
    await federation?.stop();
    if (!process.env["HAVEN_KEEP_TEST_DIRS"]) await rm(dataDir, { recursive: true, force: true });
  });

  /** A case held by A with a short conversation, then transferred to B: up to the question she is asked. */
  async function transferredCase(locale: Locale, tag: string, staffOfB: Locale) {
    const [idA, idB] = [`a-${tag}`, `b-${tag}`];
    const survivor = await startTestClient(federation.server("hub"));
    const a = await startTestClient(federation.server("partner-a"));
    const b = await startTestClient(federation.server("partner-b"));
    people.push(survivor, a, b);
    organisations.push(
      bridgeOrganisation(idA, federation.server("partner-a").serverName, [a.user.userId]),
      bridgeOrganisation(idB, federation.server("partner-b").serverName, [b.user.userId], "relay", staffOfB),
    );
    await replaceAllOrganisations(database.db, organisations);
    const { code, survivorRoomId } = await claimedCase(bot, database.db, survivor, {
      locale,
      orgId: idA,
      claimedBy: a.user.userId,
      retentionMs,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    const roomOfA = await nextInvite(a);
    await joinOnceTheHubHasTheInvite(a, roomOfA);
    const fromBot = (): string[] => bodies(herRoom.messages(bot.userId));
    const orgName = (id: string) => (locale === "km" ? `អង្គការ-${id}` : id.toUpperCase());
    await herRoom.waitFor("she is told A has her case", () =>
      fromBot().includes(translate(locale, "bridge.caseTaken", { org: orgName(idA) })),
    );

    const said = {
      herFirst: canaries.mark("first from her"),
      fromA: canaries.mark("first from A"),
      herSecond: canaries.mark("second from her"),
    };
    await survivor.client.sendTextMessage(survivorRoomId, said.herFirst);
    const seenByA = new TimelineRecorder(a.client, roomOfA);
    recorders.push(seenByA);
    await seenByA.waitFor("her first message", () => seenByA.messages(bot.userId).length >= 1);
    await a.client.sendTextMessage(roomOfA, said.fromA);
    await a.client.sendTextMessage(roomOfA, canaries.mark("!note she sounds scared"));
    await herRoom.waitFor("A's answer", () => fromBot().some((b) => b.endsWith(said.fromA)));
    await survivor.client.sendTextMessage(survivorRoomId, said.herSecond);
    await seenByA.waitFor("her second message", () => seenByA.messages(bot.userId).length >= 2);

    // What the router does on `!transfer CODE ngo-b`.
    const moved = await moveCase(database.db, {
      code,
      to: "offered",
      actor: a.user.userId,
      at: Date.now(),
      orgId: null,
      reason: `transfer:${idA}->${idB}`,
    });
    expect(moved.ok).toBe(true);
    await waitForMembership(a.client, roomOfA, a.user.userId, "leave");
    const question = translate(locale, "bridge.earlierQuestion", { org: orgName(idB) });
    await herRoom.waitFor("the question about the earlier conversation", () => fromBot().includes(question));
    return { code, survivor, survivorRoomId, herRoom, b, fromBot, nameOfB: orgName(idB), idA, idB, said };
  }

  /** B claims the case and a responder of B joins its new room. */
  async function claimedByB(code: string, b: TestClient, idB: string): Promise<TimelineRecorder> {
    expect(
      (
        await moveCase(database.db, {
          code,
          to: "claimed",
          actor: b.user.userId,
          at: Date.now(),
          orgId: idB,
          reason: "claimed",
        })
      ).ok,
    ).toBe(true);
    const roomOfB = await nextInvite(b);
    await joinOnceTheHubHasTheInvite(b, roomOfB);
    const seenByB = new TimelineRecorder(b.client, roomOfB);
    recorders.push(seenByB);
    return seenByB;
  }

  it("passes the earlier text to B when she says yes (in Khmer), before what she wrote meanwhile, in B's staff language", async () => {
    const { code, survivor, survivorRoomId, herRoom, b, fromBot, nameOfB, idA, idB, said } = await transferredCase(
      "km",
      "yes",
      "km",
    );
    await survivor.client.sendTextMessage(survivorRoomId, "1");
    await herRoom.waitFor("her answer acknowledged", () =>
      fromBot().includes(translate("km", "bridge.earlierYes", { org: nameOfB })),
    );
    const whileItMoves = canaries.mark("while it moves");
    await survivor.client.sendTextMessage(survivorRoomId, whileItMoves);
    const seenByB = await claimedByB(code, b, idB);
    await seenByB.waitFor("the earlier text, then her new message", () => seenByB.messages(bot.userId).length >= 2);

    const [earlier, meanwhile, ...rest] = seenByB.messages(bot.userId);
    expect(rest).toEqual([]);
    expect(earlier!.getContent().msgtype).toBe("m.notice");
    const lines = String(earlier!.getContent().body).split("\n");
    // B works in Khmer: the notice, her name for herself and A's name are B's; the words are as written.
    expect(lines[0]).toMatch(new RegExp(`^សារមុនៗរបស់ករណី ${code} ជាមួយ អង្គការ-${idA} `));
    expect(lines.slice(1).map((line) => line.replace(/^\[\d{1,2} \w{3} \d{2}:\d{2}\] /, ""))).toEqual([
      `ករណី ${code}: ${said.herFirst}`,
      `អង្គការ-${idA}: ${said.fromA}`,
      `ករណី ${code}: ${said.herSecond}`,
    ]);
    expect(meanwhile!.getContent().body).toBe(`ករណី ${code}៖ ${whileItMoves}`);
    expect(JSON.stringify(seenByB.events.map((e) => [e.getSender(), e.getContent()]))).not.toContain(
      survivor.user.userId,
    );
    expect(await latestEarlierConversationQuestion(database.db, code)).toMatchObject({
      to_org_id: idB,
      answer: "yes",
      passed_at: expect.any(Number) as unknown,
    });
  });

  it("passes nothing earlier to B when she says no, and her answer is not relayed", async () => {
    const { code, survivor, survivorRoomId, herRoom, b, fromBot, nameOfB, idB } = await transferredCase(
      "en",
      "no",
      "en",
    );
    await survivor.client.sendTextMessage(survivorRoomId, "no");
    await herRoom.waitFor("her answer acknowledged", () =>
      fromBot().includes(translate("en", "bridge.earlierNo", { org: nameOfB })),
    );
    const [whileItMoves, andNow] = [canaries.mark("while it moves"), canaries.mark("and now")];
    await survivor.client.sendTextMessage(survivorRoomId, whileItMoves);
    const seenByB = await claimedByB(code, b, idB);
    await seenByB.waitFor("her new message", () => seenByB.messages(bot.userId).length >= 1);
    await survivor.client.sendTextMessage(survivorRoomId, andNow);
    await seenByB.waitFor("her next message", () => seenByB.messages(bot.userId).length >= 2);
    expect(bodies(seenByB.messages(bot.userId))).toEqual([`Case ${code}: ${whileItMoves}`, `Case ${code}: ${andNow}`]);
    expect(await latestEarlierConversationQuestion(database.db, code)).toMatchObject({
      answer: "no",
      passed_at: null,
    });
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: await log.read(), database }, 10);
  });
});
