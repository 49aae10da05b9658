import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientEvent, EventType, RoomEvent, type MatrixEvent } from "matrix-js-sdk";
import { startBotClient, type BotClient } from "../../core/matrix/bot-client.ts";
import { botStateDir } from "../../core/matrix/bot-files.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { getCaseByCode, insertCase } from "../../core/db/repositories/cases.ts";
import { appendCaseHistory, listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { listOrganisations, replaceAllOrganisations } from "../../core/db/repositories/organisations.ts";
import { getRelayRoom, listRelayedEventsForCase } from "../../core/db/repositories/relay.ts";
import { parseOrganisation, type Organisation } from "../../core/organisations/index.ts";
import { newCaseCode } from "../../core/cases/case-code.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { createLogger } from "../../core/log/logger.ts";
import type { LogLevel } from "../../core/log/levels.ts";
import { createCaseRoom } from "../../bots/intake/case-room.ts";
import { startBridge, type Bridge } from "../../bridge/start-bridge.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { startTestClient, TimelineRecorder, waitForMembership, type TestClient } from "../harness/clients.ts";

const logger = createLogger((process.env["LOG_LEVEL"] ?? "warn") as LogLevel);
const retentionMs = 7 * 24 * 60 * 60_000;

function organisation(id: string, server: string, responders: string[]): Organisation {
  const parsed = parseOrganisation({
    id,
    name: { km: `អង្គការ ${id}`, en: `Organisation ${id}` },
    shortName: { km: `អង្គការ-${id}`, en: id.toUpperCase() },
    homeserver: server,
    queueRoomId: null,
    responders,
    categories: ["domestic_violence"],
    provinces: ["nationwide"],
    languages: ["km", "en"],
    alwaysOpen: true,
    capacity: { maxActiveCases: 20, maxActivePerResponder: 20 },
    routingMode: "relay",
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.organisation;
}

const bodies = (events: readonly MatrixEvent[]): string[] => events.map((e) => String(e.getContent().body));

/**
 * The bridge in relay mode against a hub and two partner servers: a claimed case gets an org-side room on the
 * hub with the claiming organisation's responder (on her own server); text flows both ways exactly once and in
 * order, across a restart of the bridge; staff notes stay with the staff; the organisation never sees the
 * survivor's Matrix ID.
 */
describe("bridge: relay between a survivor's case room and the organisation's room", () => {
  let federation: Federation;
  let dataDir: string;
  let database: HavenDatabase;
  let bot: BotClient;
  let bridge: Bridge | undefined;
  const people: TestClient[] = [];
  const recorders: TimelineRecorder[] = [];

  const startTheBridge = (): Bridge =>
    startBridge({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, `${bot.userId}#bridge`),
      logger,
      organisations: () => listOrganisations(database.db),
      retentionMs,
      tickMs: 250,
    });

  /** A claimed case, as the intake bot and the router leave it: her case room made by the bot, she has joined. */
  async function claimedCase(
    survivor: TestClient,
    { locale, orgId, claimedBy }: { locale: Locale; orgId: string; claimedBy: TestClient },
  ): Promise<{ code: string; survivorRoomId: string }> {
    const code = newCaseCode(randomBytes);
    const survivorRoomId = await createCaseRoom(bot.client, {
      code,
      locale,
      survivorMxid: survivor.user.userId,
      retentionMs,
    });
    await waitForMembership(survivor.client, survivorRoomId, survivor.user.userId, "invite");
    await survivor.client.joinRoom(survivorRoomId);
    await waitForMembership(survivor.client, survivorRoomId, survivor.user.userId, "join");
    await waitForMembership(bot.client, survivorRoomId, survivor.user.userId, "join");
    const at = Date.now();
    await insertCase(database.db, {
      id: code,
      state: "claimed",
      survivor_mxid: survivor.user.userId,
      survivor_room_id: survivorRoomId,
      locale,
      category: "domestic_violence",
      province: "phnom_penh",
      service_language: locale,
      urgent: false,
      under18: false,
      consent_summary: false,
      org_id: orgId,
      created_at: at,
      updated_at: at,
      closed_at: null,
    });
    await appendCaseHistory(database.db, {
      case_id: code,
      at,
      from_state: "offered",
      to_state: "claimed",
      actor: claimedBy.user.userId,
      org_id: orgId,
      reason: "claimed",
    });
    return { code, survivorRoomId };
  }

  /** The first room the person is invited to that she has not seen before. */
  function nextInvite(person: TestClient, known: readonly string[] = []): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no invite to an org-side room within 30 s")), 30_000);
      const check = (): void => {
        const room = person.client
          .getRooms()
          .find((r) => r.getMyMembership() === "invite" && !known.includes(r.roomId));
        if (!room) return;
        clearTimeout(timer);
        person.client.off(RoomEvent.MyMembership, check);
        person.client.off(ClientEvent.Room, check);
        resolve(room.roomId);
      };
      person.client.on(RoomEvent.MyMembership, check);
      person.client.on(ClientEvent.Room, check);
      check();
    });
  }

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-bridge-"));
    database = await openHavenDatabase(dataDir);
    const hub = federation.server("hub");
    const account = await hub.registerUser("intake");
    bot = await startBotClient({
      homeserverUrl: hub.clientUrl,
      userId: account.userId,
      password: account.password,
      stateDir: botStateDir(dataDir, account.userId),
      storageKey: randomBytes(32),
      logger,
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    for (const recorder of recorders) recorder.stop();
    await Promise.all(people.map((p) => p.stop()));
    await bot?.stop();
    await database?.close();
    await federation?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("relays 20 messages each way exactly once and in order, across a restart, and never shows her ID", async () => {
    const hub = federation.server("hub");
    const survivor = await startTestClient(hub);
    const responder = await startTestClient(federation.server("partner-a"));
    const other = await startTestClient(federation.server("partner-b"));
    people.push(survivor, responder, other);
    await replaceAllOrganisations(database.db, [
      organisation("ngo-a", federation.server("partner-a").serverName, [responder.user.userId]),
      organisation("ngo-b", federation.server("partner-b").serverName, [other.user.userId]),
    ]);

    const { code, survivorRoomId } = await claimedCase(survivor, {
      locale: "en",
      orgId: "ngo-a",
      claimedBy: responder,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    // Written while the case is claimed and nobody from the organisation has joined yet: relayed once someone has.
    await survivor.client.sendTextMessage(survivorRoomId, "before anyone joined");

    const started = Date.now();
    bridge = startTheBridge();
    const orgRoomId = await nextInvite(responder);
    const invitedAfter = Date.now() - started;
    expect((await getRelayRoom(database.db, code, "ngo-a"))?.org_room_id).toBe(orgRoomId);
    expect((await getCaseByCode(database.db, code))?.state).toBe("claimed");
    await responder.client.joinRoom(orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    const taken = translate("en", "bridge.caseTaken", { org: "NGO-A" });
    await herRoom.waitFor("she is told who has her case", () => bodies(herRoom.messages(bot.userId)).includes(taken));
    const activeAfter = Date.now() - started;
    // She is told before the case is recorded active (so a crash between the two still tells her): on PostgreSQL
    // the record can come a moment after her message.
    await vi.waitFor(async () => expect((await getCaseByCode(database.db, code))?.state).toBe("active"), {
      timeout: 10_000,
    });
    expect((await listCaseHistory(database.db, code)).at(-1)).toMatchObject({
      from_state: "claimed",
      to_state: "active",
      actor: bot.userId,
      reason: "relay-room-ready",
    });
    await orgRoom.waitFor("her early message", () => orgRoom.messages(bot.userId).length >= 1);
    expect(bodies(orgRoom.messages(bot.userId))).toEqual([`Case ${code}: before anyone joined`]);

    // 20 each way, interleaved; the bridge restarts after the 8th pair and stays down for pairs 9–12.
    const streamStarted = Date.now();
    for (let i = 1; i <= 20; i++) {
      await survivor.client.sendTextMessage(survivorRoomId, `from her ${i}`);
      await responder.client.sendTextMessage(orgRoomId, `from us ${i}`);
      if (i === 10) await responder.client.sendTextMessage(orgRoomId, "!note she asked us to call after 6pm");
      if (i === 8) await bridge.stop();
      if (i === 12) bridge = startTheBridge();
    }
    const expectedInOrg = [
      `Case ${code}: before anyone joined`,
      ...Array.from({ length: 20 }, (_, k) => `Case ${code}: from her ${k + 1}`),
    ];
    const expectedForHer = Array.from({ length: 20 }, (_, k) => `NGO-A counsellor: from us ${k + 1}`);
    const relayedToHer = (): string[] =>
      bodies(herRoom.messages(bot.userId)).filter((b) => b.startsWith("NGO-A counsellor:"));
    await orgRoom.waitFor("her 20 messages", () => orgRoom.messages(bot.userId).length >= 21, 60_000);
    await herRoom.waitFor("their 20 messages", () => relayedToHer().length >= 20, 60_000);
    const streamTook = Date.now() - streamStarted;
    await bridge.stop();
    bridge = startTheBridge(); // a second restart with nothing new: nothing is relayed again
    await survivor.client.sendTextMessage(survivorRoomId, "last");
    await orgRoom.waitFor("her last message", () => orgRoom.messages(bot.userId).length >= 22);

    expect(bodies(orgRoom.messages(bot.userId))).toEqual([...expectedInOrg, `Case ${code}: last`]);
    expect(relayedToHer()).toEqual(expectedForHer);
    expect(bodies(herRoom.messages(bot.userId)).some((b) => b.includes("6pm"))).toBe(false);
    for (const event of [...orgRoom.messages(bot.userId), ...herRoom.messages(bot.userId)]) {
      expect(event.isEncrypted()).toBe(true);
      expect(event.getContent()["formatted_body"]).toBeUndefined();
    }
    expect(await listRelayedEventsForCase(database.db, code)).toHaveLength(42);

    // What the organisation's side can see: every event, all state, every member. Her ID appears nowhere.
    const room = responder.client.getRoom(orgRoomId)!;
    const her = survivor.user.userId;
    const seen = [
      ...orgRoom.events.map((e) =>
        JSON.stringify([e.getSender(), e.getStateKey(), e.getContent(), e.getClearContent()]),
      ),
      ...[...room.currentState.events.values()].flatMap((byKey) =>
        [...byKey.values()].map((e) => JSON.stringify([e.getSender(), e.getStateKey(), e.getContent()])),
      ),
      ...room.getMembers().map((m) => `${m.userId} ${m.name}`),
      JSON.stringify(await responder.client.members(orgRoomId)),
    ];
    expect(seen.length).toBeGreaterThan(10);
    for (const text of seen) expect(text).not.toContain(her);
    expect(
      room
        .getMembers()
        .map((m) => m.userId)
        .sort(),
    ).toEqual([bot.userId, responder.user.userId].sort());
    expect(other.client.getRoom(orgRoomId)).toBeNull();

    console.log(
      `bridge timings: invited ${invitedAfter} ms, active ${activeAfter} ms, 2×20 messages + restart ${streamTook} ms`,
    );
  });
  it("speaks her language, passes on a notice for what it cannot relay yet, and drops quotes of her own ID", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const responder = await startTestClient(federation.server("partner-b"));
    people.push(survivor, responder);
    await replaceAllOrganisations(database.db, [
      organisation("ngo-b", federation.server("partner-b").serverName, [responder.user.userId]),
    ]);
    const { code, survivorRoomId } = await claimedCase(survivor, {
      locale: "km",
      orgId: "ngo-b",
      claimedBy: responder,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    bridge ??= startTheBridge();
    const orgRoomId = await nextInvite(responder);
    await responder.client.joinRoom(orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    const org = "អង្គការ-ngo-b";
    const fromBot = (): string[] => bodies(herRoom.messages(bot.userId));
    await herRoom.waitFor("she is told, in Khmer", () => fromBot().length >= 1);
    expect(fromBot()).toEqual([translate("km", "bridge.caseTaken", { org })]);
    const takenId = herRoom.messages(bot.userId)[0]!.getId()!;

    await survivor.client.sendEvent(survivorRoomId, EventType.RoomMessage, {
      msgtype: "m.image",
      body: "photo.jpg",
      url: "mxc://hub.invalid/abc",
    } as never);
    await orgRoom.waitFor("the notice of her photo", () => orgRoom.messages(bot.userId).length >= 1);
    await herRoom.waitFor("her notice", () => fromBot().length >= 2);
    await survivor.client.sendEvent(survivorRoomId, EventType.RoomMessage, {
      msgtype: "m.text",
      body: `> <${survivor.user.userId}> words she quoted\n\nthank you`,
      "m.relates_to": { "m.in_reply_to": { event_id: takenId } },
    } as never);
    await orgRoom.waitFor("her reply", () => orgRoom.messages(bot.userId).length >= 2);
    await responder.client.sendEvent(orgRoomId, EventType.RoomMessage, {
      msgtype: "m.file",
      body: "leaflet.pdf",
      url: "mxc://partner-b.invalid/def",
    } as never);
    await herRoom.waitFor("the notice of their file", () => fromBot().length >= 3);
    await responder.client.sendTextMessage(orgRoomId, "សួស្តី");
    await herRoom.waitFor("their greeting", () => fromBot().length >= 4);

    expect(bodies(orgRoom.messages(bot.userId))).toEqual([
      `Case ${code}: unsupported content (not relayed yet)`,
      `Case ${code}: thank you`,
    ]);
    expect(fromBot().slice(1)).toEqual([
      translate("km", "bridge.unsupportedFromYou"),
      translate("km", "bridge.unsupportedFromCounsellor", { org }),
      `${translate("km", "bridge.counsellor", { org })}: សួស្តី`,
    ]);
    for (const event of orgRoom.events) {
      expect(JSON.stringify([event.getSender(), event.getStateKey(), event.getContent()])).not.toContain(
        survivor.user.userId,
      );
    }
  });
});
