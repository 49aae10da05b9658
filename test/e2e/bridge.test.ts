import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EventType, type MatrixEvent } from "matrix-js-sdk";
import { startBotClient, type BotClient } from "../../core/matrix/bot-client.ts";
import { botStateDir } from "../../core/matrix/bot-files.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { listOrganisations, replaceAllOrganisations } from "../../core/db/repositories/organisations.ts";
import { getRelayHalt, getRelayRoom, listRelayedEventsForCase } from "../../core/db/repositories/relay.ts";
import { listAlertsForCase } from "../../core/db/repositories/alerts.ts";
import sharp from "sharp";
import { downloadDecrypted, uploadEncrypted } from "../harness/media.ts";
import { metadataTraces, photoWithGps } from "../harness/photos.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { startBridge, type Bridge } from "../../bridge/start-bridge.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { bridgeOrganisation, claimedCase as claimedCaseFor } from "../harness/bridge-case.ts";
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

const organisation = bridgeOrganisation;

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

  /** A claimed case, as the intake bot and the router leave it: her case room made by the bot, she has joined. */
  const claimedCase = (
    survivor: TestClient,
    { locale, orgId, claimedBy }: { locale: Locale; orgId: string; claimedBy: TestClient },
  ): Promise<{ code: string; survivorRoomId: string }> =>
    claimedCaseFor(bot, database.db, survivor, { locale, orgId, claimedBy: claimedBy.user.userId, retentionMs });

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-bridge-"));
    log = fileLogger(join(dataDir, "haven.log"));
    database = await openHavenDatabase(dataDir);
    const hub = federation.server("hub");
    const account = await hub.registerUser("intake");
    bot = await startBotClient({
      homeserverUrl: hub.clientUrl,
      userId: account.userId,
      password: account.password,
      stateDir: botStateDir(dataDir, account.userId),
      storageKey: randomBytes(32),
      logger: log.logger,
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
    const early = canaries.mark("before anyone joined");
    await survivor.client.sendTextMessage(survivorRoomId, early);

    const started = Date.now();
    bridge = startTheBridge();
    const orgRoomId = await nextInvite(responder);
    const invitedAfter = Date.now() - started;
    expect((await getRelayRoom(database.db, code, "ngo-a"))?.org_room_id).toBe(orgRoomId);
    expect((await getCaseByCode(database.db, code))?.state).toBe("claimed");
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
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
    expect(bodies(orgRoom.messages(bot.userId))).toEqual([`Case ${code}: ${early}`]);

    // 20 each way, interleaved; the bridge restarts after the 8th pair and stays down for pairs 9–12.
    const fromHer = Array.from({ length: 20 }, (_, k) => canaries.mark(`from her ${k + 1}`));
    const fromUs = Array.from({ length: 20 }, (_, k) => canaries.mark(`from us ${k + 1}`));
    const streamStarted = Date.now();
    for (let i = 1; i <= 20; i++) {
      await survivor.client.sendTextMessage(survivorRoomId, fromHer[i - 1]!);
      await responder.client.sendTextMessage(orgRoomId, fromUs[i - 1]!);
      if (i === 10)
        await responder.client.sendTextMessage(orgRoomId, canaries.mark("!note she asked us to call after 6pm"));
      if (i === 8) await bridge.stop();
      if (i === 12) bridge = startTheBridge();
    }
    const expectedInOrg = [`Case ${code}: ${early}`, ...fromHer.map((words) => `Case ${code}: ${words}`)];
    const expectedForHer = fromUs.map((words) => `NGO-A counsellor: ${words}`);
    const relayedToHer = (): string[] =>
      bodies(herRoom.messages(bot.userId)).filter((b) => b.startsWith("NGO-A counsellor:"));
    await orgRoom.waitFor("her 20 messages", () => orgRoom.messages(bot.userId).length >= 21, 60_000);
    await herRoom.waitFor("their 20 messages", () => relayedToHer().length >= 20, 60_000);
    const streamTook = Date.now() - streamStarted;
    await bridge.stop();
    bridge = startTheBridge(); // a second restart with nothing new: nothing is relayed again
    const last = canaries.mark("last");
    await survivor.client.sendTextMessage(survivorRoomId, last);
    await orgRoom.waitFor("her last message", () => orgRoom.messages(bot.userId).length >= 22);

    expect(bodies(orgRoom.messages(bot.userId))).toEqual([...expectedInOrg, `Case ${code}: ${last}`]);
    expect(relayedToHer()).toEqual(expectedForHer);
    expect(bodies(herRoom.messages(bot.userId)).some((b) => b.includes("6pm"))).toBe(false);
    for (const event of [...orgRoom.messages(bot.userId), ...herRoom.messages(bot.userId)]) {
      expect(event.isEncrypted()).toBe(true);
      expect(event.getContent()["formatted_body"]).toBeUndefined();
    }
    // 42 copies, and the record that she was told who has her case.
    expect(await listRelayedEventsForCase(database.db, code)).toHaveLength(43);

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
  it("relays 50 messages each way with a reply, an edit, a reaction, a redaction, a cleaned photo and a file", async () => {
    // An organisation of its own: the first test's case is still held by ngo-a, and the bridge would move its room
    // to ngo-a's responders if ngo-a were listed again with this test's responder.
    const survivor = await startTestClient(federation.server("hub"));
    const responder = await startTestClient(federation.server("partner-a"));
    people.push(survivor, responder);
    await replaceAllOrganisations(database.db, [
      organisation("ngo-c", federation.server("partner-a").serverName, [responder.user.userId]),
    ]);
    const { code, survivorRoomId } = await claimedCase(survivor, {
      locale: "en",
      orgId: "ngo-c",
      claimedBy: responder,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    bridge ??= startTheBridge();
    const orgRoomId = await nextInvite(responder);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    const taken = translate("en", "bridge.caseTaken", { org: "NGO-C" });
    await herRoom.waitFor("she is told who has her case", () => bodies(herRoom.messages(bot.userId)).includes(taken));

    const logBefore = (await log.read()).length;
    const herWords = Array.from({ length: 50 }, (_, k) => canaries.mark(`h${k + 1}`));
    const theirWords = Array.from({ length: 50 }, (_, k) => canaries.mark(`o${k + 1}`));
    const hers: string[] = [];
    for (let i = 1; i <= 50; i++) {
      hers.push((await survivor.client.sendTextMessage(survivorRoomId, herWords[i - 1]!)).event_id);
      await responder.client.sendTextMessage(orgRoomId, theirWords[i - 1]!);
      if (i === 25) await responder.client.sendTextMessage(orgRoomId, canaries.mark("!note call her back at 6"));
    }
    const plain = (events: readonly MatrixEvent[]) =>
      events.filter((e) => e.getContent()["m.relates_to"] === undefined).map((e) => String(e.getContent().body));
    await orgRoom.waitFor("her 50 messages", () => orgRoom.messages(bot.userId).length >= 50, 60_000);
    await herRoom.waitFor("their 50 messages", () => herRoom.messages(bot.userId).length >= 51, 60_000);
    expect(plain(orgRoom.messages(bot.userId))).toEqual(herWords.map((words) => `Case ${code}: ${words}`));
    expect(plain(herRoom.messages(bot.userId))).toEqual([
      taken,
      ...theirWords.map((words) => `NGO-C counsellor: ${words}`),
    ]);

    const copyOf = (n: number): MatrixEvent =>
      orgRoom.messages(bot.userId).find((e) => e.getContent().body === `Case ${code}: ${herWords[n - 1]!}`)!;
    const [h5Copy, h9Copy] = [copyOf(5).getId()!, copyOf(9).getId()!];
    const aboutThat = canaries.mark("about that");
    const corrected = canaries.mark("h5 corrected");
    // The responder replies to the copy of h3 and reacts to the copy of h7; she edits h5 and deletes h9.
    await responder.client.sendEvent(orgRoomId, EventType.RoomMessage, {
      msgtype: "m.text",
      body: `> <@bot> Case: h3\n\n${aboutThat}`,
      "m.relates_to": { "m.in_reply_to": { event_id: copyOf(3).getId()! } },
    } as never);
    await responder.client.sendEvent(orgRoomId, EventType.Reaction, {
      "m.relates_to": { rel_type: "m.annotation", event_id: copyOf(7).getId()!, key: "👍" },
    } as never);
    await survivor.client.sendEvent(survivorRoomId, EventType.RoomMessage, {
      msgtype: "m.text",
      body: `* ${corrected}`,
      "m.new_content": { msgtype: "m.text", body: corrected },
      "m.relates_to": { rel_type: "m.replace", event_id: hers[4]! },
    } as never);
    await survivor.client.redactEvent(survivorRoomId, hers[8]!);

    const replyToHer = () =>
      herRoom.messages(bot.userId).find((e) => e.getContent().body === `NGO-C counsellor: ${aboutThat}`);
    await herRoom.waitFor("the reply", () => replyToHer() !== undefined);
    expect(replyToHer()!.getContent()["m.relates_to"]).toEqual({ "m.in_reply_to": { event_id: hers[2] } });
    await herRoom.waitFor("the reaction", () => herRoom.events.some((e) => e.getType() === "m.reaction"));
    expect(
      herRoom.events.filter((e) => e.getType() === "m.reaction").map((e) => [e.getSender(), e.getContent()]),
    ).toEqual([[bot.userId, { "m.relates_to": { rel_type: "m.annotation", event_id: hers[6], key: "👍" } }]]);
    const edit = () => orgRoom.messages(bot.userId).find((e) => e.getContent()["m.new_content"] !== undefined);
    await orgRoom.waitFor("the edit", () => edit() !== undefined);
    expect(edit()!.getContent()).toMatchObject({
      "m.new_content": { body: `Case ${code}: ${corrected}` },
      "m.relates_to": { rel_type: "m.replace", event_id: h5Copy },
    });
    await orgRoom.waitFor("the redaction", () => orgRoom.events.some((e) => e.getId() === h9Copy && e.isRedacted()));
    expect(bodies(herRoom.messages(bot.userId)).some((b) => b.includes("call her back"))).toBe(false);
    expect(orgRoom.events.filter((e) => e.getType() === "m.room.redaction")).toHaveLength(1);
    // No server was away: a gap found here is a false one, and each cost a pause of a second or more before the
    // responder's message went on (the bot's own copies, never handed over to it, were counted as missing).
    expect((await log.read()).slice(logBefore)).not.toContain("filling a gap in the room");

    // A photo carrying GPS from her arrives without any metadata; a leaflet from them arrives byte for byte.
    const photo = await photoWithGps("jpeg");
    await survivor.client.sendMessage(survivorRoomId, {
      msgtype: "m.image",
      body: canaries.fileName("IMG_home.jpg"),
      info: { mimetype: "image/jpeg", size: photo.length },
      file: await uploadEncrypted(survivor.client, photo),
    } as never);
    const leaflet = new TextEncoder().encode(`%PDF-1.4 ${canaries.mark("our leaflet")}`);
    await responder.client.sendMessage(orgRoomId, {
      msgtype: "m.file",
      body: canaries.fileName("ngo-a-leaflet.pdf"),
      info: { mimetype: "application/pdf", size: leaflet.length },
      file: await uploadEncrypted(responder.client, leaflet),
    } as never);
    const imageCopy = () => orgRoom.messages(bot.userId).find((e) => e.getContent().msgtype === "m.image");
    await orgRoom.waitFor("her photo", () => imageCopy() !== undefined);
    expect(imageCopy()!.getContent().body).toBe("image.jpg");
    const cleaned = await downloadDecrypted(responder.client, imageCopy()!.getContent()["file"] as never);
    expect((await sharp(cleaned).metadata()).exif).toBeUndefined();
    expect(metadataTraces(cleaned)).toEqual([]);
    const fileCopy = () => herRoom.messages(bot.userId).find((e) => e.getContent().msgtype === "m.file");
    await herRoom.waitFor("their leaflet", () => fileCopy() !== undefined);
    expect(fileCopy()!.getContent().body).toBe("file.pdf");
    expect(await downloadDecrypted(survivor.client, fileCopy()!.getContent()["file"] as never)).toEqual(leaflet);
    const her = survivor.user.userId;
    for (const event of orgRoom.events) {
      expect(JSON.stringify([event.getSender(), event.getStateKey(), event.getContent()])).not.toContain(her);
    }
  }, 240_000);

  it("stops relaying a case and records an alert when a hub admin makes himself a member of her room", async () => {
    const hub = federation.server("hub");
    const survivor = await startTestClient(hub);
    const responder = await startTestClient(federation.server("partner-b"));
    people.push(survivor, responder);
    await replaceAllOrganisations(database.db, [
      organisation("ngo-b", federation.server("partner-b").serverName, [responder.user.userId]),
    ]);
    const { code, survivorRoomId } = await claimedCase(survivor, {
      locale: "en",
      orgId: "ngo-b",
      claimedBy: responder,
    });
    bridge ??= startTheBridge();
    const orgRoomId = await nextInvite(responder);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    const before = canaries.mark("before");
    await survivor.client.sendTextMessage(survivorRoomId, before);
    await orgRoom.waitFor("her first message", () => orgRoom.messages(bot.userId).length >= 1);

    // A curious hub admin uses Synapse's admin API to get himself into her room through the bot's power.
    const snoop = await hub.registerUser("snoop", { admin: true });
    const response = await fetch(`${hub.clientUrl}/_synapse/admin/v1/rooms/${survivorRoomId}/make_room_admin`, {
      method: "POST",
      headers: { authorization: `Bearer ${snoop.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: snoop.userId }),
    });
    expect(response.status).toBe(200);
    const haltedWithin = Date.now();
    await vi.waitFor(async () => expect(await getRelayHalt(database.db, code)).toBeDefined(), { timeout: 10_000 });
    expect(Date.now() - haltedWithin).toBeLessThan(10_000);
    expect((await listAlertsForCase(database.db, code)).map((a) => a.kind)).toEqual(["relay-halted"]);

    const { event_id: after } = await survivor.client.sendTextMessage(survivorRoomId, canaries.mark("after"));
    const ledger = databaseEventLedger(database.db, `${bot.userId}#bridge`);
    await vi.waitFor(async () => expect(await ledger.isProcessed(after)).toBe(true), { timeout: 30_000 });
    expect((await listRelayedEventsForCase(database.db, code)).map((e) => e.source_event_id)).not.toContain(after);
    expect(bodies(orgRoom.messages(bot.userId))).toEqual([`Case ${code}: ${before}`]);
  });

  it("in direct mode lets the responder into her room, tells her, and takes them out when the case closes", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const responder = await startTestClient(federation.server("partner-b"));
    people.push(survivor, responder);
    await replaceAllOrganisations(database.db, [
      organisation("ngo-d", federation.server("partner-b").serverName, [responder.user.userId], "direct"),
    ]);
    const { code, survivorRoomId } = await claimedCase(survivor, {
      locale: "km",
      orgId: "ngo-d",
      claimedBy: responder,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    bridge ??= startTheBridge();
    expect(await nextInvite(responder)).toBe(survivorRoomId);
    await joinOnceTheHubHasTheInvite(responder, survivorRoomId);
    const joined = translate("km", "bridge.counsellorJoined", { org: "អង្គការ-ngo-d" });
    await herRoom.waitFor("she is told who joined", () => bodies(herRoom.messages(bot.userId)).includes(joined));
    // She is told first, then the case is recorded active.
    await vi.waitFor(async () => expect((await getCaseByCode(database.db, code))?.state).toBe("active"), {
      timeout: 10_000,
    });

    const theirView = new TimelineRecorder(responder.client, survivorRoomId);
    recorders.push(theirView);
    await survivor.client.sendTextMessage(survivorRoomId, canaries.mark("hello"));
    await theirView.waitFor("her words, first hand", () => theirView.messages(survivor.user.userId).length >= 1);
    await responder.client.sendTextMessage(survivorRoomId, canaries.mark("hello, I am here"));
    await herRoom.waitFor("their words, first hand", () => herRoom.messages(responder.user.userId).length >= 1);
    expect(await listRelayedEventsForCase(database.db, code)).toEqual([]);

    await responder.client.sendTextMessage(survivorRoomId, "!close");
    await waitForMembership(survivor.client, survivorRoomId, responder.user.userId, "leave");
    await herRoom.waitFor("she is told it is closed", () =>
      bodies(herRoom.messages(bot.userId)).includes(translate("km", "bridge.caseClosed", { code })),
    );
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "closed", org_id: "ngo-d" });
    expect(await getRelayHalt(database.db, code)).toBeUndefined();
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
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    const org = "អង្គការ-ngo-b";
    const fromBot = (): string[] => bodies(herRoom.messages(bot.userId));
    await herRoom.waitFor("she is told, in Khmer", () => fromBot().length >= 1);
    expect(fromBot()).toEqual([translate("km", "bridge.caseTaken", { org })]);
    const takenId = herRoom.messages(bot.userId)[0]!.getId()!;

    await survivor.client.sendEvent(survivorRoomId, "m.poll.start" as never, { question: canaries.mark("?") } as never);
    await orgRoom.waitFor("the notice of her poll", () => orgRoom.messages(bot.userId).length >= 1);
    await herRoom.waitFor("her notice", () => fromBot().length >= 2);
    await survivor.client.sendEvent(survivorRoomId, EventType.RoomMessage, {
      msgtype: "m.image",
      body: canaries.fileName("photo.jpg"),
      url: "mxc://hub.invalid/abc",
    } as never);
    await herRoom.waitFor("the notice of her photo that cannot be fetched", () => fromBot().length >= 3);
    const thanks = canaries.mark("thank you");
    await survivor.client.sendEvent(survivorRoomId, EventType.RoomMessage, {
      msgtype: "m.text",
      body: `> <${survivor.user.userId}> ${canaries.mark("words she quoted")}\n\n${thanks}`,
      "m.relates_to": { "m.in_reply_to": { event_id: takenId } },
    } as never);
    await orgRoom.waitFor("her reply", () => orgRoom.messages(bot.userId).length >= 2);
    await responder.client.sendEvent(orgRoomId, EventType.RoomMessage, {
      msgtype: "m.file",
      body: canaries.fileName("leaflet.pdf"),
      url: "mxc://partner-b.invalid/def",
    } as never);
    await orgRoom.waitFor("the notice of their file", () => orgRoom.messages(bot.userId).length >= 3);
    const greeting = canaries.mark("សួស្តី");
    await responder.client.sendTextMessage(orgRoomId, greeting);
    await herRoom.waitFor("their greeting", () => fromBot().length >= 4);

    expect(bodies(orgRoom.messages(bot.userId))).toEqual([
      `Case ${code}: unsupported content (not relayed)`,
      `Case ${code}: ${thanks}`,
      "Your last file could not be relayed (unreadable or of a kind that cannot be cleaned).",
    ]);
    expect(fromBot().slice(1)).toEqual([
      translate("km", "bridge.unsupportedFromYou"),
      translate("km", "bridge.mediaNotRelayed"),
      `${translate("km", "bridge.counsellor", { org })}: ${greeting}`,
    ]);
    for (const event of orgRoom.events) {
      expect(JSON.stringify([event.getSender(), event.getStateKey(), event.getContent()])).not.toContain(
        survivor.user.userId,
      );
    }
  });

  it("closes her case when she writes បិទ alone, tells both sides, and relays nothing of the word", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const responder = await startTestClient(federation.server("partner-b"));
    people.push(survivor, responder);
    // An organisation of its own: replacing ngo-b's responders would bring this one into the earlier test's case.
    await replaceAllOrganisations(database.db, [
      organisation("ngo-e", federation.server("partner-b").serverName, [responder.user.userId]),
    ]);
    const { code, survivorRoomId } = await claimedCase(survivor, {
      locale: "km",
      orgId: "ngo-e",
      claimedBy: responder,
    });
    const herRoom = new TimelineRecorder(survivor.client, survivorRoomId);
    recorders.push(herRoom);
    bridge ??= startTheBridge();
    const orgRoomId = await nextInvite(responder);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    recorders.push(orgRoom);
    const fromBot = (): string[] => bodies(herRoom.messages(bot.userId));
    await herRoom.waitFor("she is told who has her case", () => fromBot().length >= 1);
    // "បិទ" within a sentence is a message like any other; alone, it closes her case.
    const sentence = canaries.mark("សូមកុំបិទទ្វារ");
    await survivor.client.sendTextMessage(survivorRoomId, sentence);
    await orgRoom.waitFor("her sentence", () =>
      bodies(orgRoom.messages(bot.userId)).includes(`Case ${code}: ${sentence}`),
    );
    await survivor.client.sendTextMessage(survivorRoomId, " បិទ ");
    await waitForMembership(responder.client, orgRoomId, responder.user.userId, "leave");
    await herRoom.waitFor("she is told it is closed", () =>
      fromBot().includes(translate("km", "bridge.caseClosed", { code })),
    );
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "closed", org_id: "ngo-e" });
    expect((await listCaseHistory(database.db, code)).at(-1)).toMatchObject({
      to_state: "closed",
      actor: survivor.user.userId,
      reason: "closed-by-survivor",
    });
    expect(bodies(orgRoom.messages(bot.userId))).toEqual([
      `Case ${code}: ${sentence}`,
      translate("en", "staff.room.caseClosed", { code }),
    ]);
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: await log.read(), database }, 150);
  });
});
