import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MatrixClient, MatrixEvent } from "matrix-js-sdk";
import { startBotClient, type BotClient } from "../../core/matrix/bot-client.ts";
import { botStateDir } from "../../core/matrix/bot-files.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { listOrganisations, replaceAllOrganisations } from "../../core/db/repositories/organisations.ts";
import { getRelayHalt, listRelayedEventsForCase } from "../../core/db/repositories/relay.ts";
import type { Organisation } from "../../core/organisations/index.ts";
import { translate } from "../../core/i18n/translate.ts";
import { startBridge, type Bridge } from "../../bridge/start-bridge.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { bridgeOrganisation, claimedCase } from "../harness/bridge-case.ts";
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
const isTyping = (client: MatrixClient, roomId: string, userId: string): boolean =>
  client.getRoom(roomId)?.getMember(userId)?.typing === true;
const readUpTo = (client: MatrixClient, roomId: string, userId: string): string | null | undefined =>
  client.getRoom(roomId)?.getEventReadUpTo(userId, true);

/**
 * What the bridge passes besides messages, and how case rooms follow an organisation's responder list: typing and
 * read receipts cross as the bot's own (never hers), and a responder removed from the organisation mid-case is
 * taken out of the case's room at the next pass, nothing they write afterwards reaching her.
 */
describe("bridge: typing, read receipts, and responders who change", () => {
  let federation: Federation;
  let dataDir: string;
  let database: HavenDatabase;
  let bot: BotClient;
  let bridge: Bridge | undefined;
  const people: TestClient[] = [];
  const recorders: TimelineRecorder[] = [];
  const organisations: Organisation[] = [];
  const canaries = new Canaries();
  let log: ReturnType<typeof fileLogger>;

  const startTheBridge = (): Bridge =>
    startBridge({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, `${bot.userId}#bridge`),
      logger: log.logger,
      organisations: () => listOrganisations(database.db),
      retentionMs,
      tickMs: 250,
    });

  const setOrganisation = async (org: Organisation): Promise<void> => {
    const index = organisations.findIndex((o) => o.id === org.id);
    if (index >= 0) organisations.splice(index, 1, org);
    else organisations.push(org);
    await replaceAllOrganisations(database.db, organisations);
  };

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-bridge-signals-"));
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
    bridge = startTheBridge();
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

  it("shows each side the bot typing while the other types, and the bot's receipt once a copy is read", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const responder = await startTestClient(federation.server("partner-a"));
    people.push(survivor, responder);
    await setOrganisation(
      bridgeOrganisation("ngo-t", federation.server("partner-a").serverName, [responder.user.userId]),
    );
    const { survivorRoomId } = await claimedCase(bot, database.db, survivor, {
      locale: "en",
      orgId: "ngo-t",
      claimedBy: responder.user.userId,
      retentionMs,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    const orgRoomId = await nextInvite(responder);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    await herRoom.waitFor("she is told who has her case", () => herRoom.messages(bot.userId).length >= 1);
    const wait = { timeout: 15_000, interval: 100 };

    await responder.client.sendTyping(orgRoomId, true, 20_000);
    await vi.waitFor(() => expect(isTyping(survivor.client, survivorRoomId, bot.userId)).toBe(true), wait);
    await responder.client.sendTyping(orgRoomId, false, 0);
    await vi.waitFor(() => expect(isTyping(survivor.client, survivorRoomId, bot.userId)).toBe(false), wait);
    await survivor.client.sendTyping(survivorRoomId, true, 20_000);
    await vi.waitFor(() => expect(isTyping(responder.client, orgRoomId, bot.userId)).toBe(true), wait);
    await survivor.client.sendTyping(survivorRoomId, false, 0);
    await vi.waitFor(() => expect(isTyping(responder.client, orgRoomId, bot.userId)).toBe(false), wait);

    const question = canaries.mark("are you safe now?");
    const answer = canaries.mark("yes, for now");
    const { event_id: theirs } = await responder.client.sendTextMessage(orgRoomId, question);
    const { event_id: hers } = await survivor.client.sendTextMessage(survivorRoomId, answer);
    const copyOf = (recorder: TimelineRecorder, text: string) =>
      recorder.messages(bot.userId).find((e) => String(e.getContent().body).endsWith(text));
    await herRoom.waitFor("their question", () => copyOf(herRoom, question) !== undefined);
    await orgRoom.waitFor("her answer", () => copyOf(orgRoom, answer) !== undefined);
    expect(readUpTo(responder.client, orgRoomId, bot.userId)).not.toBe(theirs);
    expect(readUpTo(survivor.client, survivorRoomId, bot.userId)).not.toBe(hers);

    await survivor.client.sendReadReceipt(copyOf(herRoom, question)!);
    await vi.waitFor(() => expect(readUpTo(responder.client, orgRoomId, bot.userId)).toBe(theirs), wait);
    await responder.client.sendReadReceipt(copyOf(orgRoom, answer)!);
    await vi.waitFor(() => expect(readUpTo(survivor.client, survivorRoomId, bot.userId)).toBe(hers), wait);

    // Her receipts and typing stay in her room: the organisation's side knows only the bot and its own people.
    const room = responder.client.getRoom(orgRoomId)!;
    const readers = room
      .getLiveTimeline()
      .getEvents()
      .flatMap((e) => room.getUsersReadUpTo(e));
    expect(new Set(readers)).toEqual(new Set([bot.userId, responder.user.userId]));
    expect(room.getMember(survivor.user.userId)).toBeNull();
  });

  it("takes a responder removed from the organisation out of the org-side room, relays nothing of theirs, invites one added", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const [stays, leaves, joins] = await Promise.all(
      [1, 2, 3].map(() => startTestClient(federation.server("partner-b"))),
    );
    people.push(survivor, stays!, leaves!, joins!);
    const server = federation.server("partner-b").serverName;
    await setOrganisation(bridgeOrganisation("ngo-r", server, [stays!.user.userId, leaves!.user.userId]));
    const { code, survivorRoomId } = await claimedCase(bot, database.db, survivor, {
      locale: "en",
      orgId: "ngo-r",
      claimedBy: stays!.user.userId,
      retentionMs,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    const orgRoomId = await nextInvite(stays!);
    await joinOnceTheHubHasTheInvite(stays!, orgRoomId);
    expect(await nextInvite(leaves!)).toBe(orgRoomId);
    await joinOnceTheHubHasTheInvite(leaves!, orgRoomId);
    await waitForMembership(leaves!.client, orgRoomId, leaves!.user.userId, "join");
    await waitForMembership(bot.client, orgRoomId, leaves!.user.userId, "join");
    const beforeLeaving = canaries.mark("before I left");
    await leaves!.client.sendTextMessage(orgRoomId, beforeLeaving);
    await herRoom.waitFor("their message", () =>
      bodies(herRoom.messages(bot.userId)).includes(`NGO-R counsellor: ${beforeLeaving}`),
    );

    // Removed from the organisation while the bridge is down, writing again before the bridge is back.
    await bridge!.stop();
    await setOrganisation(bridgeOrganisation("ngo-r", server, [stays!.user.userId, joins!.user.userId]));
    const afterLeaving = canaries.mark("after I left");
    const { event_id: after } = await leaves!.client.sendTextMessage(orgRoomId, afterLeaving);
    bridge = startTheBridge();
    await waitForMembership(stays!.client, orgRoomId, leaves!.user.userId, "leave");
    expect(await nextInvite(joins!)).toBe(orgRoomId);
    await joinOnceTheHubHasTheInvite(joins!, orgRoomId);
    await waitForMembership(joins!.client, orgRoomId, joins!.user.userId, "join");
    const newcomer = canaries.mark("I am new here");
    await joins!.client.sendTextMessage(orgRoomId, newcomer);
    await herRoom.waitFor("the new responder's message", () =>
      bodies(herRoom.messages(bot.userId)).includes(`NGO-R counsellor: ${newcomer}`),
    );
    const ledger = databaseEventLedger(database.db, `${bot.userId}#bridge`);
    expect(await ledger.isProcessed(after)).toBe(true);
    expect((await listRelayedEventsForCase(database.db, code)).map((e) => e.source_event_id)).not.toContain(after);
    expect(bodies(herRoom.messages(bot.userId)).some((b) => b.includes(afterLeaving))).toBe(false);
    // Taken out by the bot, not a stranger's arrival: the relay goes on.
    expect(await getRelayHalt(database.db, code)).toBeUndefined();
  });

  it("in direct mode takes a removed responder out of her room and tells her in her language", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const [stays, leaves] = await Promise.all([1, 2].map(() => startTestClient(federation.server("partner-a"))));
    people.push(survivor, stays!, leaves!);
    const server = federation.server("partner-a").serverName;
    await setOrganisation(bridgeOrganisation("ngo-d", server, [stays!.user.userId, leaves!.user.userId], "direct"));
    const { code, survivorRoomId } = await claimedCase(bot, database.db, survivor, {
      locale: "km",
      orgId: "ngo-d",
      claimedBy: stays!.user.userId,
      retentionMs,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    for (const person of [stays!, leaves!]) {
      expect(await nextInvite(person)).toBe(survivorRoomId);
      await joinOnceTheHubHasTheInvite(person, survivorRoomId);
    }
    await waitForMembership(survivor.client, survivorRoomId, leaves!.user.userId, "join");
    // Both joins handled by the bridge (she is told of each) before the list changes: a join handled only after
    // the change would be a stranger's arrival to the membership guard.
    const joined = translate("km", "bridge.counsellorJoined", { org: "អង្គការ-ngo-d" });
    await herRoom.waitFor(
      "she is told of both",
      () => bodies(herRoom.messages(bot.userId)).filter((b) => b === joined).length === 2,
    );
    await vi.waitFor(async () => expect((await getCaseByCode(database.db, code))?.state).toBe("active"), {
      timeout: 10_000,
    });

    await setOrganisation(bridgeOrganisation("ngo-d", server, [stays!.user.userId], "direct"));
    await waitForMembership(survivor.client, survivorRoomId, leaves!.user.userId, "leave");
    const left = translate("km", "bridge.counsellorLeft", { org: "អង្គការ-ngo-d" });
    await herRoom.waitFor("she is told a counsellor left", () => bodies(herRoom.messages(bot.userId)).includes(left));
    expect(survivor.client.getRoom(survivorRoomId)?.getMember(stays!.user.userId)?.membership).toBe("join");
    expect(await getRelayHalt(database.db, code)).toBeUndefined();
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: await log.read(), database }, 5);
  });
});
