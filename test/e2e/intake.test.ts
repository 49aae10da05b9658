import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventType, RelationType, type MatrixClient } from "matrix-js-sdk";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { listServices, replaceAllServices } from "../../core/db/repositories/services.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { getIntakeConversation } from "../../core/db/repositories/intake-conversations.ts";
import { loadDirectoryFile } from "../../config/load-directory.ts";
import { translate } from "../../core/i18n/translate.ts";
import { categories, provinces } from "../../core/directory/index.ts";
import { startIntakeBot, type IntakeBot } from "../../bots/intake/intake-bot.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { startTestClient, createEncryptedRoom, waitForMembership, TimelineRecorder } from "../harness/clients.ts";
import { Survivor } from "../harness/survivor.ts";
import { startTestBot } from "../harness/test-bot.ts";
import { Canaries, expectNoCanaries, fileLogger } from "../harness/canary.ts";

const retentionMs = 30 * 24 * 3600 * 1000;
const caseCodePattern = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const n = (list: readonly string[], item: string): string => String(list.indexOf(item) + 1);

describe("intake: a survivor's conversation with Haven", () => {
  let federation: Federation;
  let dataDir: string;
  let database: HavenDatabase;
  let bot: BotClient;
  let intake: IntakeBot;
  const survivors: Survivor[] = [];
  const canaries = new Canaries();
  let log: ReturnType<typeof fileLogger>;

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-intake-"));
    log = fileLogger(join(dataDir, "haven.log"));
    const { logger } = log;
    database = await openHavenDatabase(dataDir);
    await replaceAllServices(database.db, loadDirectoryFile(resolve("config/directory.sample.yaml")));
    ({ bot } = await startTestBot(federation.server("hub"), "intake", dataDir, logger));
    intake = startIntakeBot({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, bot.userId),
      logger,
      services: () => listServices(database.db),
      retentionMs,
      allowedServers: federation.servers.map((s) => s.serverName),
      decryptionWaitMs: 5_000,
    });
  });

  afterAll(async () => {
    await Promise.all(survivors.map((s) => s.stop()));
    await intake?.stop();
    await bot?.stop();
    await database?.close();
    await federation?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const openDm = async (server: "hub" | "partner-a" | "partner-b"): Promise<Survivor> => {
    const survivor = await Survivor.open(federation.server(server), bot.userId);
    survivors.push(survivor);
    return survivor;
  };

  async function expectCaseRoom(
    client: MatrixClient,
    roomId: string,
    code: string,
    roomName: string,
    locale: "km" | "en",
  ): Promise<void> {
    await waitForMembership(client, roomId, client.getUserId()!, "invite");
    await client.joinRoom(roomId);
    await waitForMembership(client, roomId, client.getUserId()!, "join");
    const room = client.getRoom(roomId)!;
    const state = (type: string): Record<string, unknown> =>
      room.currentState.getStateEvents(type, "")?.getContent() ?? {};
    expect(state(EventType.RoomEncryption)).toMatchObject({ algorithm: "m.megolm.v1.aes-sha2" });
    expect(state(EventType.RoomJoinRules)).toEqual({ join_rule: "invite" });
    expect(state(EventType.RoomHistoryVisibility)).toEqual({ history_visibility: "joined" });
    expect(state(EventType.RoomGuestAccess)).toEqual({ guest_access: "forbidden" });
    expect(state("m.room.retention")).toEqual({ max_lifetime: retentionMs });
    expect(state(EventType.RoomName)).toEqual({ name: roomName });
    expect(roomName).toContain(code);
    expect(roomName.toLowerCase()).not.toMatch(/violence|abuse|help|រំលោភ|ហិង្សា/);
    expect(state(EventType.RoomTopic)).toEqual({});
    expect(state(EventType.RoomAvatar)).toEqual({});
    const power = state(EventType.RoomPowerLevels) as {
      users: Record<string, number>;
      users_default: number;
      state_default: number;
      invite: number;
      kick: number;
      ban: number;
      redact: number;
      events: Record<string, number>;
    };
    expect(room.currentState.getStateEvents(EventType.RoomCreate, "")?.getSender()).toBe(bot.userId);
    expect(room.getVersion()).toBe("12");
    expect(power.users).toEqual({});
    expect(power).toMatchObject({
      users_default: 0,
      state_default: 100,
      invite: 100,
      kick: 100,
      ban: 100,
      redact: 100,
    });
    for (const type of ["m.room.name", "m.room.power_levels", "m.room.retention", "m.room.encryption"]) {
      expect(power.events[type]).toBe(100);
    }
    const welcome = new TimelineRecorder(client, roomId);
    await welcome.waitFor("the case room's welcome", () => welcome.messages(bot.userId).length >= 1);
    const [first, ...more] = welcome.messages(bot.userId).map((e) => String(e.getContent().body));
    expect(more).toEqual([]);
    expect(first).toContain(
      translate(locale, "caseRoom.welcome", {
        code,
        sla: 5,
        retention: translate(locale, "duration.days", { count: 30 }),
      }),
    );
    welcome.stop();
  }

  it("talks with a Khmer-speaking survivor on the hub: menu, directory, triage, case", async () => {
    const survivor = await openDm("hub");
    const [greeting] = await survivor.waitForBotMessages(1, "the first greeting");
    expect(greeting).toContain(translate("km", "welcome.first"));
    expect(greeting).toContain(translate("en", "welcome.first"));
    expect(greeting).toMatch(/1\. ភាសាខ្មែរ\n2\. English/);

    const unclear = await survivor.say(canaries.mark("ខ្ញុំខ្លាចណាស់"), translate("en", "welcome.languageQuestion"));
    expect(unclear.join("\n")).toMatch(/1\. ភាសាខ្មែរ\n2\. English/);
    const menuReply = await survivor.say("១", translate("km", "menu.title"));
    expect(menuReply.join("\n")).toContain(translate("km", "language.changed"));

    await survivor.say("1", translate("km", "services.categoryQuestion"));
    await survivor.say(n(categories, "shelter"), translate("km", "services.provinceQuestion"));
    const results = (await survivor.say(n(provinces, "phnom_penh"), translate("km", "services.resultsTitle"))).join(
      "\n",
    );
    expect(results).toMatch(/ទូរស័ព្ទ|ទូរសព្ទ/);
    expect(results).not.toContain("Phone:");

    await survivor.say("ម៉ឺនុយ", translate("km", "menu.title"));
    await survivor.say("2", translate("km", "triage.kindQuestion"));
    await survivor.say(n(categories, "domestic_violence"), translate("km", "triage.provinceQuestion"));
    await survivor.say(n(provinces, "phnom_penh"), translate("km", "triage.languageQuestion"));
    await survivor.say("1", translate("km", "triage.dangerQuestion"));
    await survivor.say("2", translate("km", "triage.ageQuestion"));
    await survivor.say("2", translate("km", "triage.consentQuestion"));
    const opened = (await survivor.say("1", translate("km", "menu.title"))).join("\n");

    const code = caseCodePattern.exec(opened)?.[0];
    expect(code).toBeDefined();
    const roomName = translate("km", "caseRoom.name", { code: code! });
    expect(opened).toContain(translate("km", "triage.caseOpened", { code: code!, roomName }));

    const row = await getCaseByCode(database.db, code!);
    expect(row).toMatchObject({
      state: "waiting",
      survivor_mxid: survivor.userId,
      locale: "km",
      category: "domestic_violence",
      province: "phnom_penh",
      service_language: "km",
      urgent: false,
      under18: false,
      consent_summary: true,
      org_id: null,
    });
    const history = await listCaseHistory(database.db, code!);
    expect(history.map((h) => [h.from_state, h.to_state, h.actor])).toEqual([
      [null, "intake", bot.userId],
      ["intake", "waiting", bot.userId],
    ]);
    await expectCaseRoom(survivor.person.client, row!.survivor_room_id!, code!, roomName, "km");

    const again = await survivor.say("2", translate("km", "triage.alreadyOpen", { code: code!, roomName }));
    expect(again).toHaveLength(1);

    // She can switch language at any time; the menu and the directory follow.
    await survivor.say("4", translate("km", "welcome.languageQuestion"));
    const inEnglish = (await survivor.say("2", translate("en", "menu.title"))).join("\n");
    expect(inEnglish).toContain(translate("en", "language.changed"));
    await survivor.say("services", translate("en", "services.categoryQuestion"));
    await survivor.say(n(categories, "hotline"), translate("en", "services.provinceQuestion"));
    expect((await survivor.say("0", translate("en", "services.resultsTitle"))).join("\n")).toContain("Phone:");
  });

  it("talks with an English-speaking survivor on a partner server, urgent and under 18", async () => {
    const survivor = await openDm("partner-a");
    await survivor.waitForBotMessages(1, "the first greeting");
    await survivor.say("English", translate("en", "menu.title"));
    await survivor.say("services", translate("en", "services.categoryQuestion"));
    await survivor.say(n(categories, "legal_aid"), translate("en", "services.provinceQuestion"));
    const results = (await survivor.say("0", translate("en", "services.resultsTitle"))).join("\n");
    expect(results).toContain("Phone:");

    await survivor.say("menu", translate("en", "menu.title"));
    await survivor.say("ask", translate("en", "triage.kindQuestion"));
    await survivor.say(n(categories, "sexual_violence"), translate("en", "triage.provinceQuestion"));
    await survivor.say("0", translate("en", "triage.languageQuestion"));
    await survivor.say("2", translate("en", "triage.dangerQuestion"));
    const danger = (await survivor.say("1", translate("en", "triage.ageQuestion"))).join("\n");
    expect(danger).toMatch(/117/);
    await survivor.say("1", translate("en", "triage.consentQuestion"));
    const opened = (await survivor.say("2", translate("en", "menu.title"))).join("\n");
    expect(opened).toContain(translate("en", "caseRoom.urgentNote"));
    const code = caseCodePattern.exec(opened)![0];

    expect(await getCaseByCode(database.db, code)).toMatchObject({
      state: "waiting",
      survivor_mxid: survivor.userId,
      locale: "en",
      category: "sexual_violence",
      province: null,
      service_language: "en",
      urgent: true,
      under18: true,
      consent_summary: false,
    });
    const row = await getCaseByCode(database.db, code);
    await expectCaseRoom(
      survivor.person.client,
      row!.survivor_room_id!,
      code,
      translate("en", "caseRoom.name", { code }),
      "en",
    );

    await survivor.say("language", translate("en", "welcome.languageQuestion"));
    await survivor.say("ខ្មែរ", translate("km", "menu.title"));
    await survivor.say("1", translate("km", "services.categoryQuestion"));
    await survivor.say(n(categories, "health"), translate("km", "services.provinceQuestion"));
    const inKhmer = (await survivor.say("0", translate("km", "services.resultsTitle"))).join("\n");
    expect(inKhmer).not.toContain("Phone:");
  });

  it("refuses an unencrypted DM, explaining how to start an encrypted one, and leaves", async () => {
    const person = await startTestClient(federation.server("partner-b"));
    const { room_id: roomId } = await person.client.createRoom({ invite: [bot.userId], is_direct: true });
    const seen = new TimelineRecorder(person.client, roomId);
    await waitForMembership(person.client, roomId, bot.userId, "leave");
    const said = seen.messages(bot.userId).map((e) => String(e.getContent().body));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(translate("en", "room.refuseUnencrypted"));
    expect(said[0]).toContain(translate("km", "room.refuseUnencrypted"));
    seen.stop();
    await person.stop();
  });

  it("refuses a group room and leaves", async () => {
    const person = await startTestClient(federation.server("hub"));
    const friend = await federation.server("hub").registerUser();
    const roomId = await createEncryptedRoom(person.client, [bot.userId, friend.userId]);
    const seen = new TimelineRecorder(person.client, roomId);
    await waitForMembership(person.client, roomId, bot.userId, "leave");
    await seen.waitFor("the refusal", () => seen.messages(bot.userId).length === 1);
    expect(String(seen.messages(bot.userId)[0]!.getContent().body)).toContain(translate("en", "room.refuseGroup"));
    seen.stop();
    await person.stop();
  });

  it("answers bad input with a clear word and never loses her place", async () => {
    const survivor = await openDm("hub");
    await survivor.waitForBotMessages(1, "the first greeting");
    await survivor.say("2", translate("en", "menu.title"));
    await survivor.say("2", translate("en", "triage.kindQuestion"));
    const question = translate("en", "triage.kindQuestion");

    const unknown = await survivor.say(canaries.mark("bonjour, j'ai besoin d'aide"), question);
    expect(unknown.join("\n")).toContain(translate("en", "input.unknown"));

    const html = await survivor.sendContent(
      {
        msgtype: "m.text",
        body: canaries.mark("<b>hi</b>"),
        format: "org.matrix.custom.html",
        formatted_body: canaries.mark("<img src=x onerror=alert(1)>"),
      },
      question,
    );
    expect(html.join("\n")).not.toMatch(/<|onerror/);

    // Synapse refuses events over 64 KiB itself; the bot refuses text over 16 KiB.
    const huge = await survivor.say(canaries.mark("x".repeat(20 * 1024)), question);
    expect(huge.join("\n")).toContain(translate("en", "input.tooLong"));

    const empty = await survivor.say("", question);
    expect(empty.join("\n")).toContain(translate("en", "input.unknown"));

    const image = await survivor.sendContent(
      { msgtype: "m.image", body: canaries.fileName("photo.jpg"), url: "mxc://example/abc" },
      question,
    );
    expect(image.join("\n")).toContain(translate("en", "input.notText"));

    const lastBotEvent = survivor.botEvents().at(-1)!.getId()!;
    const edit = await survivor.sendContent(
      {
        msgtype: "m.text",
        body: canaries.mark("* 3"),
        "m.new_content": { msgtype: "m.text", body: canaries.mark("3") },
        "m.relates_to": { rel_type: "m.replace", event_id: lastBotEvent },
      },
      question,
    );
    expect(edit.join("\n")).toContain(translate("en", "input.edit"));

    const before = survivor.botTexts().length;
    await survivor.person.client.sendEvent(survivor.roomId, EventType.Reaction, {
      "m.relates_to": { rel_type: RelationType.Annotation, event_id: lastBotEvent, key: "👍" },
    });
    await survivor.person.client.sendEvent(
      survivor.roomId,
      "org.example.unknown" as never,
      { anything: canaries.mark("1") } as never,
    );
    const afterReaction = await survivor.say(
      String(categories.indexOf("online_abuse") + 1),
      translate("en", "triage.provinceQuestion"),
    );
    expect(survivor.botTexts().length - before).toBe(afterReaction.length);
    expect(afterReaction).toHaveLength(1);

    const twice = survivor.botTexts().length;
    await survivor.person.client.sendTextMessage(survivor.roomId, "1");
    await survivor.person.client.sendTextMessage(survivor.roomId, "1");
    await survivor.waitForReply(twice, translate("en", "triage.languageQuestion"), "one answer to the double tap");
    await survivor.say("0", translate("en", "triage.dangerQuestion"));
    const texts = survivor.botTexts().slice(twice);
    expect(texts.filter((t) => t.includes(translate("en", "triage.languageQuestion")))).toHaveLength(1);
    expect(texts.filter((t) => t.includes(translate("en", "triage.dangerQuestion")))).toHaveLength(1);
  });

  it("forgets her conversation and leaves when she leaves mid-triage", async () => {
    const survivor = await openDm("partner-b");
    await survivor.waitForBotMessages(1, "the first greeting");
    await survivor.say("2", translate("en", "menu.title"));
    await survivor.say("2", translate("en", "triage.kindQuestion"));
    expect(await getIntakeConversation(database.db, survivor.userId)).toBeDefined();
    await survivor.person.client.leave(survivor.roomId);
    await waitForMembership(bot.client, survivor.roomId, bot.userId, "leave");
    expect(await getIntakeConversation(database.db, survivor.userId)).toBeUndefined();
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: await log.read(), database }, 8);
  });
});
