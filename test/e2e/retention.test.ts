import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientEvent, Direction, Preset, RoomEvent, type MatrixEvent } from "matrix-js-sdk";
import { startBotClient, type BotClient } from "../../core/matrix/bot-client.ts";
import { botStateDir } from "../../core/matrix/bot-files.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { getCaseByCode, insertCase } from "../../core/db/repositories/cases.ts";
import { appendCaseHistory, listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { listOrganisations, replaceAllOrganisations } from "../../core/db/repositories/organisations.ts";
import { getRelayRoom, listRelayedEventsForCase } from "../../core/db/repositories/relay.ts";
import {
  listRelayRoomsOfCase,
  listRetentionAudit,
  listRetentionJobs,
  setRetentionOverride,
} from "../../core/db/repositories/retention.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { parseOrganisation, type Organisation } from "../../core/organisations/index.ts";
import { newCaseCode } from "../../core/cases/case-code.ts";
import { translate } from "../../core/i18n/translate.ts";
import { locales, type Locale } from "../../core/i18n/locales.ts";
import { createLogger } from "../../core/log/logger.ts";
import { synapseAdmin } from "../../core/matrix/synapse-admin.ts";
import type { RetentionPolicy } from "../../core/retention/policy.ts";
import { createCaseRoom } from "../../bots/intake/case-room.ts";
import { startIntakeBot, type IntakeBot } from "../../bots/intake/intake-bot.ts";
import { startRetention, type Retention } from "../../bots/retention/start-retention.ts";
import { startRetentionWorker } from "../../bots/retention/retention-worker.ts";
import { survivorLeftText } from "../../bots/retention/erase-case.ts";
import { redactExpired } from "../../bots/retention/redact-expired.ts";
import { runHubJob } from "../../bots/retention/hub-jobs.ts";
import { pace } from "../../bots/retention/pace.ts";
import { startBridge, type Bridge } from "../../bridge/start-bridge.ts";
import { startFederation, type Federation, type Homeserver } from "../harness/synapse.ts";
import {
  joinOnceTheHubHasTheInvite,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { Survivor } from "../harness/survivor.ts";
import { BotProcess } from "../harness/bot-process.ts";
import { Canaries, expectNoCanaries, fileLogger } from "../harness/canary.ts";
import { download, uploadEncrypted } from "../harness/media.ts";
import { photoWithGps } from "../harness/photos.ts";
import { listCaseMedia } from "../../core/db/repositories/case-media.ts";
import { parseMxc } from "../../core/matrix/mxc.ts";

const day = 86_400_000;
const hubPolicy: RetentionPolicy = {
  messageLifetimeMs: 30 * day,
  graceAfterCloseMs: 7 * day,
  mediaLifetimeMs: 7 * day,
  metadataLifetimeMs: 365 * day,
};

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

const body = (event: MatrixEvent): string => String(event.getContent().body);

/** What the hub Synapse's own database holds, read from its SQLite file while it runs. */
function hubDatabase(hub: Homeserver) {
  const open = <T>(read: (db: Sqlite.Database) => T): T => {
    const db = new Sqlite(join(hub.dir, "homeserver.db"), { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  return {
    /** Of these event IDs, the ones Synapse still stores an event or its JSON for. */
    storedEvents: (eventIds: readonly string[]): string[] =>
      open((db) =>
        eventIds.filter(
          (id) =>
            db.prepare("SELECT 1 FROM events WHERE event_id = ?").get(id) !== undefined ||
            db.prepare("SELECT 1 FROM event_json WHERE event_id = ?").get(id) !== undefined,
        ),
      ),
    /** Of these strings, the ones found in any stored event's JSON. */
    inEventJson: (needles: readonly string[]): string[] =>
      open((db) =>
        needles.filter((n) => db.prepare("SELECT 1 FROM event_json WHERE instr(json, ?) > 0").get(n) !== undefined),
      ),
    /** Events that more than one redaction names. */
    redactedTwice: (): string[] =>
      open((db) =>
        (
          db.prepare("SELECT redacts FROM redactions GROUP BY redacts HAVING count(*) > 1").all() as {
            redacts: string;
          }[]
        ).map((row) => row.redacts),
      ),
    /** Of these media IDs, the ones the hub's media repository still lists as its own. */
    localMedia: (mediaIds: readonly string[]): string[] =>
      open((db) =>
        mediaIds.filter(
          (id) => db.prepare("SELECT 1 FROM local_media_repository WHERE media_id = ?").get(id) !== undefined,
        ),
      ),
    /** Of these event IDs, the ones the hub fetched from another server after the fact (negative stream order). */
    backfilled: (eventIds: readonly string[]): string[] =>
      open((db) =>
        eventIds.filter((id) => {
          const row = db.prepare("SELECT stream_ordering AS n FROM events WHERE event_id = ?").get(id);
          return row !== undefined && (row as { n: number }).n < 0;
        }),
      ),
    eventsInRoom: (roomId: string): number =>
      open((db) => (db.prepare("SELECT count(*) AS n FROM events WHERE room_id = ?").get(roomId) as { n: number }).n),
    messagesInRoom: (roomId: string): number =>
      open(
        (db) =>
          (
            db
              .prepare(
                "SELECT count(*) AS n FROM events WHERE room_id = ? AND type IN ('m.room.message', 'm.room.encrypted')",
              )
              .get(roomId) as { n: number }
          ).n,
      ),
  };
}

/**
 * Retention and erasure against a hub and two partner servers, with the intake bot, the bridge (relay mode) and
 * retention wired as the Haven process wires them. Every survivor and responder message carries a unique canary;
 * the last test looks for them in Haven's data directory (database files included) and its log.
 */
describe("retention and erasure", () => {
  let federation: Federation;
  let dataDir: string;
  let log: ReturnType<typeof fileLogger>;
  let database: HavenDatabase;
  let bot: BotClient;
  let adminToken: string;
  let bridge: Bridge;
  let intake: IntakeBot;
  let retention: Retention;
  const people: TestClient[] = [];
  const recorders: TimelineRecorder[] = [];
  const canaries = new Canaries();
  const canary = (label: string): string => canaries.mark(label);

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-retention-"));
    log = fileLogger(join(dataDir, "haven.log"));
    const { logger } = log;
    database = await openHavenDatabase(dataDir);
    const hub = federation.server("hub");
    adminToken = (await hub.registerUser("haven-admin", { admin: true })).accessToken;
    const account = await hub.registerUser("intake");
    bot = await startBotClient({
      homeserverUrl: hub.clientUrl,
      userId: account.userId,
      password: account.password,
      stateDir: botStateDir(dataDir, account.userId),
      storageKey: randomBytes(32),
      logger,
    });
    retention = startRetention({
      client: bot.client,
      db: database.db,
      admin: synapseAdmin({ clientUrl: hub.clientUrl, accessToken: adminToken }),
      logger,
      hubPolicy,
      sweepIntervalMs: 3_600_000,
      requestsPerSecond: 1_000,
      pollMs: 100,
    });
    bridge = startBridge({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, `${bot.userId}#bridge`),
      logger,
      organisations: () => listOrganisations(database.db),
      retentionMs: hubPolicy.messageLifetimeMs,
      tickMs: 250,
    });
    intake = startIntakeBot({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, bot.userId),
      logger,
      services: () => Promise.resolve([]),
      retentionMs: hubPolicy.messageLifetimeMs,
      erasure: retention,
    });
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`Haven's warnings:\n${(await log.warnings()).join("\n")}`);
  });

  afterAll(async () => {
    for (const recorder of recorders) recorder.stop();
    await intake?.stop();
    await bridge?.stop();
    await retention?.stop();
    await Promise.all(people.map((p) => p.stop()));
    await bot?.stop();
    await database?.close();
    await federation?.stop();
    if (!process.env["HAVEN_KEEP_TEST_DIRS"]) await rm(dataDir, { recursive: true, force: true });
  });

  /** The first room the person is invited to that she has not seen before. */
  function nextInvite(person: TestClient): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no invite to an org-side room within 30 s")), 30_000);
      const check = (): void => {
        const room = person.client.getRooms().find((r) => r.getMyMembership() === "invite");
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

  interface ActiveCase {
    code: string;
    survivor: Survivor;
    responder: TestClient;
    survivorRoomId: string;
    orgRoomId: string;
    herRoom: TimelineRecorder;
    orgRoom: TimelineRecorder;
    /** Every message event that carried a canary, with its ciphertext: her original, the copy, and theirs. */
    carriers: Array<{ roomId: string; eventId: string; sender: string; ciphertext: string; viewer: TestClient }>;
  }

  /**
   * A survivor with an encrypted DM to the intake bot, in her language, and a case the organisation has claimed and
   * talks in through the bridge: one canary message each way, relayed.
   */
  async function activeCase(locale: Locale, orgId: string, server: Homeserver): Promise<ActiveCase> {
    const hub = federation.server("hub");
    const survivor = await Survivor.open(hub, bot.userId);
    const responder = await startTestClient(server);
    people.push(survivor.person, responder);
    await survivor.waitForBotMessages(1, "the greeting");
    await survivor.say(String(locales.indexOf(locale) + 1), translate(locale, "language.changed"));
    const organisations = await listOrganisations(database.db);
    const others = organisations.filter((o) => o.id !== orgId);
    const earlier = organisations.find((o) => o.id === orgId)?.responders ?? [];
    await replaceAllOrganisations(database.db, [
      ...others,
      organisation(orgId, server.serverName, [...earlier, responder.user.userId]),
    ]);

    const code = newCaseCode(randomBytes);
    const her = survivor.person;
    const survivorRoomId = await createCaseRoom(bot.client, {
      code,
      locale,
      survivorMxid: her.user.userId,
      retentionMs: hubPolicy.messageLifetimeMs,
    });
    await waitForMembership(her.client, survivorRoomId, her.user.userId, "invite");
    await her.client.joinRoom(survivorRoomId);
    await waitForMembership(bot.client, survivorRoomId, her.user.userId, "join");
    const at = Date.now();
    await insertCase(database.db, {
      id: code,
      state: "claimed",
      survivor_mxid: her.user.userId,
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
      actor: responder.user.userId,
      org_id: orgId,
      reason: "claimed",
    });
    const herRoom = new TimelineRecorder(her.client, survivorRoomId);
    recorders.push(herRoom);
    const orgRoomId = await nextInvite(responder);
    // Her server can show the invite before the hub has stored it; joining before that is refused.
    await waitForMembership(bot.client, orgRoomId, responder.user.userId, "invite");
    await responder.client.joinRoom(orgRoomId);
    await waitForMembership(responder.client, orgRoomId, responder.user.userId, "join");
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    await herRoom.waitFor("she is told who has her case", () => herRoom.messages(bot.userId).length >= 1);

    const fromHer = canary("her");
    const fromThem = canary("them");
    await her.client.sendTextMessage(survivorRoomId, fromHer);
    await responder.client.sendTextMessage(orgRoomId, fromThem);
    const carrying = (recorder: TimelineRecorder, text: string) =>
      recorder.messages().filter((e) => body(e).includes(text));
    await orgRoom.waitFor("her words relayed", () => carrying(orgRoom, fromHer).length >= 1);
    await herRoom.waitFor("their words relayed", () => carrying(herRoom, fromThem).length >= 1);
    await orgRoom.waitFor("their words", () => carrying(orgRoom, fromThem).length >= 1);
    await herRoom.waitFor("her words", () => carrying(herRoom, fromHer).length >= 1);
    const carriers = [
      ...[...carrying(herRoom, fromHer), ...carrying(herRoom, fromThem)].map((e) => ({ e, viewer: her })),
      ...[...carrying(orgRoom, fromHer), ...carrying(orgRoom, fromThem)].map((e) => ({ e, viewer: responder })),
    ].map(({ e, viewer }) => ({
      roomId: e.getRoomId()!,
      eventId: e.getId()!,
      sender: e.getSender()!,
      ciphertext: String(e.getWireContent()["ciphertext"]),
      viewer,
    }));
    expect(carriers).toHaveLength(4);
    for (const carrier of carriers) expect(carrier.ciphertext.length).toBeGreaterThan(20);
    return { code, survivor, responder, survivorRoomId, orgRoomId, herRoom, orgRoom, carriers };
  }

  const isRedactedFor = (viewer: TestClient, roomId: string, eventId: string): boolean =>
    viewer.client.getRoom(roomId)?.findEventById(eventId)?.isRedacted() === true;

  it("a short lifetime runs out: messages redacted on both servers and gone from the hub's database, even when the worker is killed mid-purge", async () => {
    const hub = federation.server("hub");
    const theCase = await activeCase("en", "ngo-b", federation.server("partner-b"));
    // The organisation shortens its lifetime to one second; the worker's clock runs five seconds ahead.
    await setRetentionOverride(database.db, "org", "ngo-b", { messageLifetimeMs: 1_000 }, Date.now());

    const worker = new BotProcess(
      "test/fixtures/retention-worker.ts",
      {
        RW_DATA_DIR: dataDir,
        RW_HOMESERVER_URL: hub.clientUrl,
        RW_USER_ID: bot.userId,
        RW_ACCESS_TOKEN: bot.client.getAccessToken()!,
        RW_ADMIN_TOKEN: adminToken,
        RW_POLICY: JSON.stringify(hubPolicy),
        RW_CLOCK_SKEW_MS: "5000",
      },
      { readyFrom: (line) => (line === "ready worker" ? line : undefined) },
    );
    const { ready, reached } = worker.start();
    await ready;
    await Promise.race([
      reached("job-started purge-history"),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`the worker started no purge: ${worker.stderrTail.slice(-2000)}`)), 30_000),
      ),
    ]);
    await worker.kill();
    const interrupted = (await listRetentionJobs(database.db)).filter((j) => j.case_id === theCase.code);
    expect(interrupted).toHaveLength(1);
    expect(interrupted[0]).toMatchObject({ kind: "purge-history", status: "running" });
    const synapseJob = interrupted[0]!.synapse_id;
    expect(synapseJob).not.toBeNull();
    const resumed = startRetentionWorker({
      client: bot.client,
      db: database.db,
      admin: synapseAdmin({ clientUrl: hub.clientUrl, accessToken: adminToken }),
      logger: createLogger("warn"),
      hubPolicy,
      intervalMs: 3_600_000,
      requestIntervalMs: 0,
      redactionLeadMs: 0,
      pollMs: 100,
      now: () => Date.now() + 5_000,
    });
    const report = await resumed.runOnce();
    await resumed.stop();
    // The interrupted job polled to its end rather than asked again; nothing redacted twice.
    expect(report.failures).toBe(0);
    expect(report.purges).toBeGreaterThanOrEqual(2);
    const jobs = (await listRetentionJobs(database.db)).filter((j) => j.case_id === theCase.code);
    expect(jobs.map((j) => [j.room_id, j.status])).toEqual(
      expect.arrayContaining([
        [interrupted[0]!.room_id, "done"],
        [interrupted[0]!.room_id === theCase.survivorRoomId ? theCase.orgRoomId : theCase.survivorRoomId, "done"],
      ]),
    );
    expect(jobs).toHaveLength(2);
    expect(jobs.find((j) => j.id === interrupted[0]!.id)?.synapse_id).toBe(synapseJob);

    // Every message is redacted for the people on both servers.
    for (const { viewer, roomId, eventId } of theCase.carriers) {
      const recorder = roomId === theCase.survivorRoomId ? theCase.herRoom : theCase.orgRoom;
      await recorder.waitFor(`redaction of ${eventId} seen`, () => isRedactedFor(viewer, roomId, eventId));
    }

    const synapseDb = hubDatabase(hub);
    expect(synapseDb.redactedTwice()).toEqual([]);
    expect(synapseDb.storedEvents(theCase.carriers.map((c) => c.eventId))).toEqual([]);
    expect(synapseDb.inEventJson(theCase.carriers.map((c) => c.ciphertext))).toEqual([]);
    expect(synapseDb.messagesInRoom(theCase.survivorRoomId)).toBe(0);
    expect(synapseDb.messagesInRoom(theCase.orgRoomId)).toBe(0);
    for (const roomId of [theCase.survivorRoomId, theCase.orgRoomId]) {
      const state = await bot.client.getStateEvent(roomId, "m.room.retention", "");
      expect(state).toEqual({ max_lifetime: 1_000 });
    }
  });

  const exits = [
    { locale: "en", from: "her DM" },
    { locale: "km", from: "her DM" },
    { locale: "km", from: "her case room" },
  ] as const;
  for (const { locale, from } of exits) {
    it(`quick exit in ${locale} from ${from}: everything of hers is gone within 30 s and the organisation is told`, async () => {
      const hub = federation.server("hub");
      const theCase = await activeCase(locale, "ngo-a", federation.server("partner-a"));
      const { survivor } = theCase;
      const inDm = canary("dm");
      await survivor.person.client.sendTextMessage(survivor.roomId, inDm);
      await survivor.waitForBotMessages(3, "an answer to her words in the DM");
      const dmEvent = survivor.dm.messages(survivor.userId).find((e) => body(e) === inDm)!;
      const exitWord = locale === "km" ? "ចាកចេញ" : "exit";

      const started = Date.now();
      const exitRoom = from === "her DM" ? survivor.roomId : theCase.survivorRoomId;
      await survivor.person.client.sendTextMessage(exitRoom, exitWord);
      const farewell = translate(locale, "exit.done");
      await survivor.dm.waitFor("the farewell", () => survivor.botTexts().includes(farewell));
      await waitForMembership(survivor.person.client, theCase.survivorRoomId, survivor.userId, "leave");
      await theCase.orgRoom.waitFor("the organisation is told", () =>
        theCase.orgRoom.messages(bot.userId).some((e) => body(e) === survivorLeftText("en", theCase.code)),
      );
      const relayedCopy = theCase.carriers.find((c) => c.roomId === theCase.orgRoomId && c.sender === bot.userId);
      expect(relayedCopy).toBeDefined();
      await theCase.orgRoom.waitFor("the copy of her words redacted", () =>
        isRedactedFor(theCase.responder, theCase.orgRoomId, relayedCopy!.eventId),
      );
      // The bot leaves her DM last, once its history is purged on the hub.
      await waitForMembership(survivor.person.client, survivor.roomId, bot.userId, "leave");
      const tookMs = Date.now() - started;
      expect(tookMs).toBeLessThan(30_000);

      const erased = await getCaseByCode(database.db, theCase.code);
      expect(erased).toMatchObject({ state: "erased", survivor_mxid: null, survivor_room_id: null });
      expect(await listRelayedEventsForCase(database.db, theCase.code)).toEqual([]);
      const history = await listCaseHistory(database.db, theCase.code);
      expect(history.at(-1)).toMatchObject({ to_state: "erased", actor: "survivor" });
      expect(JSON.stringify(history)).not.toContain(survivor.userId);
      const audit = (await listRetentionAudit(database.db)).find((a) => a.case_id === theCase.code);
      expect(audit).toMatchObject({ actor: "survivor", action: "erase-case" });
      const counts = JSON.parse(audit!.counts) as Record<string, number>;
      expect(counts).toMatchObject({ roomsDeleted: 1, orgRoomsTold: 1 });
      // The copy of her one message; her exit words are Haven's to answer and never reach the organisation.
      expect(counts["relayedCopiesRedacted"]).toBe(1);

      const synapseDb = hubDatabase(hub);
      expect(synapseDb.messagesInRoom(theCase.survivorRoomId)).toBe(0);
      expect(synapseDb.storedEvents([dmEvent.getId()!, ...theCase.carriers.map((c) => c.eventId)])).toEqual([]);
      console.log(`quick exit (${locale}, from ${from}): ${tookMs} ms`);
    });
  }

  it("a closed case's rooms are deleted on the hub after the grace, and its metadata anonymised after its lifetime", async () => {
    const hub = federation.server("hub");
    // An organisation of its own: the short-lifetime test's case with ngo-b is still active, and a responder added to
    // ngo-b would be invited into its room too (rooms follow an organisation's responders).
    const theCase = await activeCase("en", "ngo-c", federation.server("partner-b"));
    const moved = await moveCase(database.db, {
      code: theCase.code,
      to: "closed",
      actor: theCase.responder.user.userId,
      at: Date.now(),
    });
    expect(moved.ok).toBe(true);
    // The bridge closes the organisation's room to its responders within a tick of the close; the worker comes
    // after the grace (days later in a deployment), so it starts only once that is done.
    await vi.waitFor(
      async () =>
        expect((await getRelayRoom(database.db, theCase.code, "ngo-c"))?.retired_at).toEqual(expect.any(Number)),
      { timeout: 30_000, interval: 100 },
    );
    // Tombstoned while the responder was still in it, so that her server (where Haven deletes nothing) shows it ended.
    const ended = () => theCase.orgRoom.events.findIndex((e) => e.getType() === "m.room.tombstone");
    const left = () =>
      theCase.orgRoom.events.findIndex(
        (e) =>
          e.getType() === "m.room.member" &&
          e.getStateKey() === theCase.responder.user.userId &&
          e.getContent().membership === "leave",
      );
    await theCase.orgRoom.waitFor("the tombstone, then the responder's removal", () => ended() >= 0 && left() >= 0);
    expect(ended()).toBeLessThan(left());
    const worker = startRetentionWorker({
      client: bot.client,
      db: database.db,
      admin: synapseAdmin({ clientUrl: hub.clientUrl, accessToken: adminToken }),
      logger: createLogger("warn"),
      hubPolicy,
      intervalMs: 3_600_000,
      requestIntervalMs: 0,
      redactionLeadMs: 0,
      pollMs: 100,
      now: () => Date.now() + 400 * day,
    });
    const report = await worker.runOnce();
    await worker.stop();
    expect(report.failures).toBe(0);
    expect(report.roomsDeleted).toBeGreaterThanOrEqual(2);
    expect(report.casesAnonymised).toBeGreaterThanOrEqual(1);

    expect(await getCaseByCode(database.db, theCase.code)).toMatchObject({
      state: "closed",
      survivor_mxid: null,
      survivor_room_id: null,
      org_id: "ngo-c",
    });
    expect(await listRelayRoomsOfCase(database.db, theCase.code)).toEqual([]);
    expect(JSON.stringify(await listCaseHistory(database.db, theCase.code))).not.toContain(theCase.survivor.userId);
    expect((await theCase.survivor.person.client.getJoinedRooms()).joined_rooms).not.toContain(theCase.survivorRoomId);
    const synapseDb = hubDatabase(hub);
    for (const roomId of [theCase.survivorRoomId, theCase.orgRoomId]) expect(synapseDb.eventsInRoom(roomId)).toBe(0);
    // A second run finds nothing left to do.
    const again = startRetentionWorker({
      client: bot.client,
      db: database.db,
      admin: synapseAdmin({ clientUrl: hub.clientUrl, accessToken: adminToken }),
      logger: createLogger("warn"),
      hubPolicy,
      intervalMs: 3_600_000,
      requestIntervalMs: 0,
      redactionLeadMs: 0,
      pollMs: 100,
      now: () => Date.now() + 400 * day,
    });
    const second = await again.runOnce();
    await again.stop();
    expect(second).toMatchObject({ roomsDeleted: 0, casesAnonymised: 0, purges: 0, messagesRedacted: 0, failures: 0 });
  });

  it("erasure on a coordinator's request also deletes her room's keys from the bot's key backup", async () => {
    const hub = federation.server("hub");
    const theCase = await activeCase("km", "ngo-a", federation.server("partner-a"));
    const version = await bot.client.getCrypto()!.getActiveSessionBackupVersion();
    expect(version).not.toBeNull();
    const backedUp = async (): Promise<number> => {
      const response = await fetch(
        `${hub.clientUrl}/_matrix/client/v3/room_keys/keys/${encodeURIComponent(theCase.survivorRoomId)}?version=${version!}`,
        { headers: { authorization: `Bearer ${bot.client.getAccessToken()}` } },
      );
      if (response.status === 404) return 0;
      expect(response.status).toBe(200);
      return Object.keys(((await response.json()) as { sessions?: object }).sessions ?? {}).length;
    };
    await vi.waitFor(async () => expect(await backedUp()).toBeGreaterThan(0), { timeout: 30_000, interval: 250 });

    const erased = await retention.eraseCase(theCase.code, "coordinator:test");
    expect(erased).toMatchObject({ ok: true, counts: { roomsDeleted: 1 } });
    expect(await backedUp()).toBe(0);
  });

  it("a relayed photo is deleted from the hub's media repository, hers and the copy, once the media lifetime has run", async () => {
    const hub = federation.server("hub");
    const theCase = await activeCase("en", "ngo-a", federation.server("partner-a"));
    const her = theCase.survivor.person;
    const photo = await photoWithGps("jpeg");
    const file = await uploadEncrypted(her.client, photo);
    await her.client.sendMessage(theCase.survivorRoomId, {
      msgtype: "m.image",
      body: canaries.fileName("IMG_home.jpg"),
      info: { mimetype: "image/jpeg", size: photo.length },
      file,
    } as never);
    const imageCopy = () => theCase.orgRoom.messages(bot.userId).find((e) => e.getContent().msgtype === "m.image");
    await theCase.orgRoom.waitFor("the copy of her photo", () => imageCopy() !== undefined);
    const copy = imageCopy()!.getContent()["file"] as { url: string };
    const media = [file.url, copy.url].map((url) => parseMxc(url)!);
    expect(media.map((m) => m.serverName)).toEqual([hub.serverName, hub.serverName]);
    const onTheHub = async (m: { serverName: string; mediaId: string }): Promise<number> =>
      (
        await fetch(`${hub.clientUrl}/_synapse/admin/v1/media/${m.serverName}/${m.mediaId}`, {
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).status;
    expect(await Promise.all(media.map(onTheHub))).toEqual([200, 200]);
    await download(her.client, copy.url);
    expect((await listCaseMedia(database.db, theCase.code)).map((m) => m.media_id).sort()).toEqual(
      media.map((m) => m.mediaId).sort(),
    );

    // The organisation keeps media one second; the worker's clock runs five seconds ahead. Messages stay.
    await setRetentionOverride(database.db, "org", "ngo-a", { mediaLifetimeMs: 1_000 }, Date.now());
    const worker = startRetentionWorker({
      client: bot.client,
      db: database.db,
      admin: synapseAdmin({ clientUrl: hub.clientUrl, accessToken: adminToken }),
      logger: log.logger,
      hubPolicy,
      intervalMs: 3_600_000,
      requestIntervalMs: 0,
      redactionLeadMs: 0,
      pollMs: 100,
      now: () => Date.now() + 5_000,
    });
    const report = await worker.runOnce();
    await worker.stop();
    expect(report).toMatchObject({ failures: 0, mediaDeleted: 2, messagesRedacted: 0 });
    expect(await Promise.all(media.map(onTheHub))).toEqual([404, 404]);
    // A download from the hub now finds nothing. (A partner server that fetched the copy for its responder keeps
    // its cached copy until its own media_retention removes it: Haven cannot delete there, docs/retention.md.)
    const gone = await fetch(her.client.mxcUrlToHttp(copy.url, undefined, undefined, undefined, false, true, true)!, {
      headers: { authorization: `Bearer ${her.client.getAccessToken()}` },
    });
    expect(gone.status).toBe(404);
    expect(hubDatabase(hub).localMedia(media.map((m) => m.mediaId))).toEqual([]);
    expect(await listCaseMedia(database.db, theCase.code)).toEqual([]);
    expect(isRedactedFor(theCase.responder, theCase.orgRoomId, imageCopy()!.getId()!)).toBe(false);
  });

  it("a purge stops at the oldest message still within its lifetime, in the room's order, also where the hub fetched the history late", async () => {
    const hub = federation.server("hub");
    const partner = await startTestClient(federation.server("partner-b"));
    const reader = await startTestClient(hub);
    people.push(partner, reader);
    // Written on the partner's server before anyone on the hub is in the room: the hub fetches these late
    // (backfill), and stores them as older than everything it has, whatever their age.
    const { room_id: roomId } = await partner.client.createRoom({ preset: Preset.PublicChat });
    const old: string[] = [];
    for (let i = 0; i < 5; i++) old.push((await partner.client.sendTextMessage(roomId, `old ${i}`)).event_id);
    const beforeTs = Date.now() + 1;
    await partner.client.invite(roomId, reader.user.userId);
    await waitForMembership(reader.client, roomId, reader.user.userId, "invite");
    await joinOnceTheHubHasTheInvite(reader, roomId);
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(beforeTs));
    const fresh = (await partner.client.sendTextMessage(roomId, "fresh")).event_id;
    const atHub = new TimelineRecorder(reader.client, roomId);
    recorders.push(atHub);
    await atHub.waitFor("the fresh message at the hub", () => atHub.messages().some((e) => e.getId() === fresh));
    // The hub fetches the old messages when someone pages back, and under load not always all in the first request:
    // wait until it holds them, since what is tested is the purge of such history, not the backfill.
    await vi.waitFor(
      async () => {
        const { chunk } = await reader.client.createMessagesRequest(roomId, null, 50, Direction.Backward);
        expect(old.filter((id) => !chunk.some((e) => e.event_id === id))).toEqual([]);
      },
      { timeout: 30_000, interval: 500 },
    );

    const sweep = await redactExpired(reader.client, roomId, beforeTs, pace(0));
    expect(sweep).toMatchObject({ redacted: 0, refused: 5, purgePoint: fresh });
    const synapseDb = hubDatabase(hub);
    expect(synapseDb.storedEvents(old)).toEqual(old);
    expect(synapseDb.backfilled(old)).toEqual(old);

    const outcome = await runHubJob(
      {
        db: database.db,
        admin: synapseAdmin({ clientUrl: hub.clientUrl, accessToken: adminToken }),
        wait: pace(0),
        now: Date.now,
        logger: createLogger("warn"),
        pollMs: 100,
        pollTimeoutMs: 20_000,
      },
      { kind: "purge-history", roomId, caseId: null, upToTs: beforeTs, upToEventId: sweep.purgePoint },
    );
    expect(outcome).toBe("complete");
    expect(synapseDb.storedEvents(old)).toEqual([]);
    expect(synapseDb.storedEvents([fresh])).toEqual([fresh]);
  });

  it("no canary in Haven's database (SQLite file or PostgreSQL rows), data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: await log.read(), database }, 15);
  });
});
