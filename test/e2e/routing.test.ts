import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EventType, RelationType } from "matrix-js-sdk";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { databaseEventLedger } from "../../core/db/event-ledger.ts";
import { getCaseByCode, insertCase } from "../../core/db/repositories/cases.ts";
import { appendCaseHistory, listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { listOffersForCase } from "../../core/db/repositories/offers.ts";
import { insertAlert, listAlertsForCase } from "../../core/db/repositories/alerts.ts";
import { newCaseCode } from "../../core/cases/case-code.ts";
import {
  startRouterBot,
  type CannotTakeReason,
  type RoutableOrganisation,
  type RouterBot,
} from "../../bots/router/router-bot.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { translate } from "../../core/i18n/translate.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import { startTestBot } from "../harness/test-bot.ts";
import { Canaries, expectNoCanaries, fileLogger } from "../harness/canary.ts";
import { redactExpiredOffers } from "../../bots/retention/redact-offers.ts";
import { pace } from "../../bots/retention/pace.ts";
import {
  createEncryptedRoom,
  readHistory,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";

interface Responder {
  person: TestClient;
  queue: TimelineRecorder;
}

/**
 * The router against a hub and two partner homeservers: offers land in the queue room of one organisation at a
 * time on that organisation's own server, a responder claims by command or reaction, unclaimed offers move on
 * to the next organisation on time (even with the first one's server down), and the review team is told.
 */
describe("routing: offers, claims and escalation across partner homeservers", () => {
  let federation: Federation;
  let dataDir: string;
  let database: HavenDatabase;
  let bot: BotClient;
  let router: RouterBot;
  let monitor: TestClient;
  let monitors: TimelineRecorder;
  let monitorsRoomId: string;
  const responders = new Map<string, Responder>();
  const orgs: RoutableOrganisation[] = [];
  /** Which organisations a test's cases may go to, in order (the routing engine has its own unit tests). */
  let plan: string[] = [];
  const canaries = new Canaries();
  let log: ReturnType<typeof fileLogger>;
  /** Organisations that cannot take a case now, and why. */
  const cannotTake = new Map<string, CannotTakeReason[]>();

  async function openQueueRoom(
    orgId: string,
    server: "partner-a" | "partner-b",
    people: string[],
    slaMs: number,
    visitors: string[] = [],
    staffLanguage: Locale = "en",
  ) {
    const everyone = [...people, ...visitors];
    const clients = await Promise.all(everyone.map(() => startTestClient(federation.server(server))));
    const [owner, ...others] = clients;
    const roomId = await createEncryptedRoom(
      owner!.client,
      others.map((c) => c.user.userId),
    );
    // A coordinator links the queue room to the organisation first; then the organisation invites the router.
    orgs.push({
      id: orgId,
      shortName: { en: orgId.toUpperCase(), km: `អង្គការ ${orgId}` },
      staffLanguage,
      queueRoomId: roomId,
      responders: clients.slice(0, people.length).map((c) => c.user.userId),
      claimSlaMs: slaMs,
      replySlaMs: 600_000,
    });
    for (const other of others) {
      await waitForMembership(other.client, roomId, other.user.userId, "invite");
      await other.client.joinRoom(roomId);
    }
    await owner!.client.invite(roomId, bot.userId);
    await waitForMembership(owner!.client, roomId, bot.userId, "join");
    everyone.forEach((name, i) =>
      responders.set(name, { person: clients[i]!, queue: new TimelineRecorder(clients[i]!.client, roomId) }),
    );
  }

  async function newWaitingCase(): Promise<string> {
    const code = newCaseCode(randomBytes);
    const at = Date.now();
    await insertCase(database.db, {
      id: code,
      state: "waiting",
      survivor_mxid: "@someone:hub",
      survivor_room_id: null,
      locale: "km",
      category: "domestic_violence",
      province: "phnom_penh",
      service_language: "km",
      urgent: false,
      under18: false,
      consent_summary: false,
      org_id: null,
      created_at: at,
      updated_at: at,
      closed_at: null,
    });
    await appendCaseHistory(database.db, {
      case_id: code,
      at,
      from_state: null,
      to_state: "waiting",
      actor: "test",
      org_id: null,
      reason: null,
    });
    // As the intake bot does when her triage is done. The router's poll for waiting cases is set to an hour
    // below, so every offer in this file arrives through this hand-off (or a release's), never through the poll.
    await router.caseWaiting(code);
    return code;
  }

  const offerIn = (name: string, code: string, title = `New case ${code}`) => {
    const { queue } = responders.get(name)!;
    return queue.messages(bot.userId).find((e) => String(e.getContent().body).includes(title));
  };
  const waitForOffer = async (name: string, code: string, title?: string) => {
    const { queue } = responders.get(name)!;
    await queue.waitFor(
      `the offer of ${code} in ${name}'s queue room`,
      () => offerIn(name, code, title) !== undefined,
      60_000,
    );
    return offerIn(name, code, title)!;
  };
  const botSaid = (name: string, text: string) =>
    responders
      .get(name)!
      .queue.messages(bot.userId)
      .some((e) => String(e.getContent().body).includes(text));

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-routing-"));
    log = fileLogger(join(dataDir, "haven.log"));
    const { logger } = log;
    database = await openHavenDatabase(dataDir);
    const hub = federation.server("hub");
    ({ bot } = await startTestBot(hub, "router", dataDir, logger));
    monitor = await startTestClient(hub);
    monitorsRoomId = await createEncryptedRoom(monitor.client, [bot.userId]);
    monitors = new TimelineRecorder(monitor.client, monitorsRoomId);
    router = startRouterBot({
      bot,
      db: database.db,
      ledger: databaseEventLedger(database.db, bot.userId),
      logger,
      organisations: async () => orgs,
      choose: async (_case, exclude) => {
        const next = plan.find((id) => !exclude.includes(id));
        return next === undefined ? undefined : { orgId: next, ruleId: "test-plan", fallbackUsed: false };
      },
      canTake: async (_case, orgId) => {
        const reasons = cannotTake.get(orgId);
        return reasons === undefined ? { ok: true } : { ok: false, reasons };
      },
      monitorsRoomId,
      tickMs: 250,
      waitingPollMs: 3_600_000,
    });
    await waitForMembership(monitor.client, monitorsRoomId, bot.userId, "join");
    await openQueueRoom("ngo-a", "partner-a", ["a1", "a2"], 60_000, ["a-visitor"]);
    await openQueueRoom("ngo-b", "partner-b", ["b1"], 60_000);
    await openQueueRoom("ngo-km", "partner-b", ["k1"], 60_000, [], "km");
  });

  afterAll(async () => {
    await router?.stop();
    for (const { person, queue } of responders.values()) {
      queue.stop();
      await person.stop();
    }
    monitors?.stop();
    await monitor?.stop();
    await bot?.stop();
    await database?.close();
    await federation?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("offers a case to org A only, and a responder there claims it by command", async () => {
    plan = ["ngo-a", "ngo-b"];
    const code = await newWaitingCase();
    const offer = await waitForOffer("a1", code);
    expect(offer.isEncrypted()).toBe(true);
    expect(String(offer.getContent().body)).toContain(`!claim ${code}`);
    expect(String(offer.getContent().body)).not.toContain("@someone");

    const a1 = responders.get("a1")!;
    await a1.person.client.sendTextMessage(orgs[0]!.queueRoomId!, `  !CLAIM   ${code.toLowerCase()} `);
    await a1.queue.waitFor("the claim's confirmation", () => botSaid("a1", `✅ Case ${code}`));

    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "claimed", org_id: "ngo-a" });
    const history = await listCaseHistory(database.db, code);
    expect(history.map((h) => [h.from_state, h.to_state, h.actor, h.org_id, h.reason])).toEqual([
      [null, "waiting", "test", null, null],
      ["waiting", "offered", bot.userId, null, "offered:ngo-a:test-plan"],
      ["offered", "claimed", a1.person.user.userId, "ngo-a", "claimed:test-plan"],
    ]);
    expect(offerIn("b1", code)).toBeUndefined();
  });

  it("lets a responder claim by reacting ✅ to the offer", async () => {
    plan = ["ngo-a"];
    const code = await newWaitingCase();
    const offer = await waitForOffer("a2", code);
    const a2 = responders.get("a2")!;
    await a2.person.client.sendEvent(orgs[0]!.queueRoomId!, EventType.Reaction, {
      "m.relates_to": { rel_type: RelationType.Annotation, event_id: offer.getId()!, key: "✅" },
    });
    await a2.queue.waitFor("the reaction claim's confirmation", () => botSaid("a2", `✅ Case ${code}`));
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "claimed", org_id: "ngo-a" });
    expect((await listOffersForCase(database.db, code))[0]).toMatchObject({
      status: "claimed",
      claimed_by: a2.person.user.userId,
    });
  });

  it("speaks Khmer to a Khmer-speaking organisation: the offer, refusals, the claim's confirmation and !help", async () => {
    plan = ["ngo-km"];
    const code = await newWaitingCase();
    const offer = await waitForOffer("k1", code, `ករណីថ្មី ${code}`);
    const body = String(offer.getContent().body);
    expect(body).toContain("ត្រូវការ៖ អំពើហិង្សាក្នុងគ្រួសារ");
    expect(body).toContain("ខេត្ត៖ ភ្នំពេញ");
    expect(body).toContain(`ដើម្បីទទួលយកករណីនេះ៖ !claim ${code}`);
    expect(body).not.toContain("New case");

    const k1 = responders.get("k1")!;
    const roomK = orgs.find((org) => org.id === "ngo-km")!.queueRoomId!;
    await k1.person.client.sendTextMessage(roomK, "!claim K7Q2-M4X0");
    await k1.person.client.sendTextMessage(roomK, "!ជួយ");
    await k1.person.client.sendTextMessage(roomK, `!claim\u200b${code}`);
    await k1.person.client.sendTextMessage(roomK, "!help");
    await k1.queue.waitFor(
      "the answers in Khmer",
      () =>
        botSaid("k1", "របៀបប្រើ៖ !claim CODE") &&
        botSaid("k1", "មិនស្គាល់បញ្ជា !ជួយ ទេ។") &&
        botSaid("k1", `✅ ករណី ${code} ឥឡូវនេះជាការទទួលខុសត្រូវរបស់ អង្គការ ngo-km (ទទួលយកដោយ ${k1.person.user.userId})។`) &&
        botSaid("k1", "!claim CODE — ទទួលយកករណី៖ អង្គការរបស់អ្នកក្លាយជាអ្នកទទួលខុសត្រូវ"),
    );
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "claimed", org_id: "ngo-km" });
  });

  it("refuses an invite to a room that is no organisation's queue room", async () => {
    const stranger = await startTestClient(federation.server("partner-b"));
    const roomId = await createEncryptedRoom(stranger.client, [bot.userId]);
    // The router's own view: it left the invite. Whether the stranger's server hears of it depends on federation
    // (Synapse rejects locally when the inviting server does not answer in time), which is not the router's part.
    await waitForMembership(bot.client, roomId, bot.userId, "leave");
    await stranger.stop();
  });

  it("refuses claims from people who are not responders, and unknown or malformed codes", async () => {
    plan = ["ngo-a"];
    const code = await newWaitingCase();
    await waitForOffer("a1", code);
    const a1 = responders.get("a1")!;
    const roomId = orgs[0]!.queueRoomId!;
    // What responders say to each other in their queue room is theirs: the router reads past it.
    await a1.person.client.sendTextMessage(roomId, canaries.mark("morning all, who is on shift today?"));
    await a1.person.client.sendTextMessage(roomId, "!claim 2222-2222");
    await a1.person.client.sendTextMessage(roomId, "!claim K7Q2-M4X0");
    await a1.person.client.sendTextMessage(roomId, canaries.mark("!frobnicate"));
    const visitor = responders.get("a-visitor")!;
    await visitor.person.client.sendTextMessage(roomId, `!claim ${code}`);
    await a1.queue.waitFor(
      "four refusals",
      () =>
        botSaid("a1", "Only responders listed for NGO-A can claim cases.") &&
        botSaid("a1", "Case 2222-2222 is not offered") &&
        botSaid("a1", "Usage: !claim CODE") &&
        botSaid("a1", "Unknown command !frobnicate"),
    );
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "offered" });
  });

  it("escalates an unclaimed offer to org B on time, with both steps in the history and an alert", async () => {
    plan = ["ngo-a", "ngo-b"];
    orgs[0]!.claimSlaMs = 2_000;
    const code = await newWaitingCase();
    await waitForOffer("a1", code);
    await waitForOffer("b1", code);
    const offers = await listOffersForCase(database.db, code);
    expect(offers.map((o) => [o.org_id, o.status])).toEqual([
      ["ngo-a", "expired"],
      ["ngo-b", "open"],
    ]);
    // On time: not before A's deadline, and well within one more claim SLA after it.
    expect(offers[1]!.offered_at).toBeGreaterThanOrEqual(offers[0]!.deadline_at);
    expect(offers[1]!.offered_at - offers[0]!.deadline_at).toBeLessThan(orgs[0]!.claimSlaMs);
    const history = await listCaseHistory(database.db, code);
    expect(history.map((h) => h.reason)).toEqual([null, "offered:ngo-a:test-plan", "offered:ngo-b:test-plan"]);
    await monitors.waitFor("the escalation alert", () =>
      monitors
        .messages(bot.userId)
        .some((e) => String(e.getContent().body).includes(`Case ${code}: not claimed by NGO-A`)),
    );
    expect((await listAlertsForCase(database.db, code)).map((a) => a.kind)).toEqual(["offer-escalated"]);

    const b1 = responders.get("b1")!;
    await monitor.client.sendTextMessage(monitorsRoomId, canaries.mark("I will call NGO-A about this one"));
    await monitor.client.sendTextMessage(monitorsRoomId, `!ack ${code}`);
    await monitors.waitFor("the ack", () =>
      monitors
        .messages(bot.userId)
        .some((e) => String(e.getContent().body).startsWith(`Noted: ${monitor.user.userId}`)),
    );
    expect((await listAlertsForCase(database.db, code))[0]).toMatchObject({ acked_by: monitor.user.userId });
    await b1.person.client.sendTextMessage(orgs[1]!.queueRoomId!, `!claim ${code}`);
    await b1.queue.waitFor("B's claim", () => botSaid("b1", `✅ Case ${code}`));
    const a1 = responders.get("a1")!;
    await a1.person.client.sendTextMessage(orgs[0]!.queueRoomId!, `!claim ${code}`);
    await a1.queue.waitFor("A's late claim refused", () => botSaid("a1", `Case ${code} is already taken by NGO-B`));
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "claimed", org_id: "ngo-b" });
    orgs[0]!.claimSlaMs = 60_000;
  });

  it("transfers a case to another organisation, refuses an impossible transfer, releases and closes", async () => {
    plan = ["ngo-a"];
    const code = await newWaitingCase();
    await waitForOffer("a1", code);
    const a1 = responders.get("a1")!;
    const b1 = responders.get("b1")!;
    const roomA = orgs[0]!.queueRoomId!;
    await a1.person.client.sendTextMessage(roomA, `!claim ${code}`);
    await a1.queue.waitFor("the claim", () => botSaid("a1", `✅ Case ${code}`));

    await a1.person.client.sendTextMessage(roomA, `!transfer ${code} ngo-z`);
    cannotTake.set("ngo-b", ["full"]);
    await a1.person.client.sendTextMessage(roomA, `!transfer ${code} NGO-B`);
    await a1.queue.waitFor(
      "two refused transfers",
      () =>
        botSaid("a1", `No other organisation called "ngo-z"`) &&
        botSaid("a1", "Not transferred: NGO-B cannot take it now (full)."),
    );
    cannotTake.set("ngo-b", ["closed-now", "language-not-spoken"]);
    await a1.person.client.sendTextMessage(roomA, `  !Transfer   ${code.toLowerCase()}   ngo-b `);
    await a1.queue.waitFor("the transfer to a closed organisation refused", () =>
      botSaid("a1", "Not transferred: NGO-B cannot take it now (closed now; does not speak her language)."),
    );
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "claimed", org_id: "ngo-a" });
    cannotTake.delete("ngo-b");

    await a1.person.client.sendTextMessage(roomA, `!transfer ${code} ngo-b`);
    await waitForOffer("b1", code);
    await b1.person.client.sendTextMessage(orgs[1]!.queueRoomId!, `!claim ${code}`);
    await b1.queue.waitFor("B's claim", () => botSaid("b1", `✅ Case ${code}`));

    await b1.person.client.sendTextMessage(orgs[1]!.queueRoomId!, `!cases`);
    await b1.queue.waitFor("B's case list", () => botSaid("b1", `${code} — claimed`));
    await b1.person.client.sendTextMessage(orgs[1]!.queueRoomId!, `!close ${code}`);
    await b1.queue.waitFor("the close", () => botSaid("b1", `Case ${code} closed by NGO-B.`));

    const history = await listCaseHistory(database.db, code);
    expect(history.map((h) => [h.from_state, h.to_state, h.org_id, h.reason])).toEqual([
      [null, "waiting", null, null],
      ["waiting", "offered", null, "offered:ngo-a:test-plan"],
      ["offered", "claimed", "ngo-a", "claimed:test-plan"],
      ["claimed", "offered", null, "transfer:ngo-a->ngo-b"],
      ["offered", "claimed", "ngo-b", "claimed"],
      ["claimed", "closed", "ngo-b", "closed:ngo-b"],
    ]);
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "closed", org_id: "ngo-b" });

    plan = ["ngo-a", "ngo-b"];
    const released = await newWaitingCase();
    await waitForOffer("a1", released);
    await a1.person.client.sendTextMessage(roomA, `!claim ${released}`);
    await a1.queue.waitFor("the claim", () => botSaid("a1", `✅ Case ${released}`));
    await a1.person.client.sendTextMessage(roomA, `!release ${released}`);
    await waitForOffer("b1", released);
    expect((await listCaseHistory(database.db, released)).map((h) => h.reason)).toEqual([
      null,
      "offered:ngo-a:test-plan",
      "claimed:test-plan",
      "released:ngo-a",
      "offered:ngo-b:test-plan",
    ]);
  });

  it("tells the review team when an offer cannot be posted, and when nobody is left to offer a case to", async () => {
    orgs.push({
      id: "ngo-gone",
      shortName: { en: "NGO-GONE", km: "NGO-GONE" },
      staffLanguage: "en",
      queueRoomId: "!not-a-room-the-router-is-in:localhost",
      responders: [],
      claimSlaMs: 2_000,
      replySlaMs: 600_000,
    });
    plan = ["ngo-gone"];
    const code = await newWaitingCase();
    const alerted = (text: string) =>
      monitors.messages(bot.userId).some((e) => String(e.getContent().body).includes(text));
    await monitors.waitFor(
      "both alerts",
      () =>
        alerted(`Case ${code}: the offer could not be posted in ngo-gone's queue room`) &&
        alerted(`Case ${code}: no organisation left to offer it to`),
    );
    expect((await listAlertsForCase(database.db, code)).map((a) => a.kind)).toEqual([
      "offer-not-posted",
      "offer-escalated",
      "no-organisation",
    ]);
    orgs.pop();
  });

  // 40 claims and 60 encrypted answers through one queue room: about 20 s alone, far more on a loaded machine.
  it(
    "gives exactly one winner when two responders claim at the same moment, 20 times",
    { timeout: 300_000 },
    async () => {
      plan = ["ngo-a"];
      const codes = await Promise.all(Array.from({ length: 20 }, () => newWaitingCase()));
      for (const code of codes) await waitForOffer("a1", code);
      const [a1, a2] = [responders.get("a1")!, responders.get("a2")!];
      const roomId = orgs[0]!.queueRoomId!;
      await Promise.all(
        codes.flatMap((code) => [
          a1.person.client.sendTextMessage(roomId, `!claim ${code}`),
          a2.person.client.sendTextMessage(roomId, `!claim ${code}`),
        ]),
      );
      const said = (text: string) =>
        a1.queue.messages(bot.userId).filter((e) => String(e.getContent().body).includes(text)).length;
      const settled = (code: string) =>
        said(`✅ Case ${code}`) === 1 &&
        said(`Case ${code} was just taken`) + said(`Case ${code} is already taken`) === 1;
      await a1.queue.waitFor("a winner and a loser for every case", () => codes.every(settled), 240_000);
      for (const code of codes) {
        const claims = (await listCaseHistory(database.db, code)).filter((h) => h.to_state === "claimed");
        expect(claims, code).toHaveLength(1);
        const [offer] = await listOffersForCase(database.db, code);
        expect(offer!.claimed_by).toBe(claims[0]!.actor);
      }
    },
  );

  it(
    "escalates on time while org A's homeserver is down, and duplicates nothing when it comes back",
    { timeout: 180_000 },
    async () => {
      plan = ["ngo-a", "ngo-b"];
      orgs[0]!.claimSlaMs = 3_000;
      await federation.server("partner-a").stop();
      const code = await newWaitingCase();
      await waitForOffer("b1", code);
      const offers = await listOffersForCase(database.db, code);
      expect(offers.map((o) => [o.org_id, o.status])).toEqual([
        ["ngo-a", "expired"],
        ["ngo-b", "open"],
      ]);
      // On time: not before A's deadline, and well within one more claim SLA after it.
      expect(offers[1]!.offered_at).toBeGreaterThanOrEqual(offers[0]!.deadline_at);
      expect(offers[1]!.offered_at - offers[0]!.deadline_at).toBeLessThan(orgs[0]!.claimSlaMs);
      await federation.server("partner-a").start();
      // A's server speaks first (the hub waits out its back-off until it hears from A); the router's answer comes
      // live. What the hub sent while A was away, A's server fetches as a1 scrolls up, as a responder would.
      const a1 = responders.get("a1")!;
      await a1.person.client.sendTextMessage(orgs[0]!.queueRoomId!, "!help");
      await a1.queue.waitFor("the router's answer, live", () => botSaid("a1", "!claim CODE — take the case"), 90_000);
      const history = await readHistory(a1.person.client, orgs[0]!.queueRoomId!);
      const offersInA = history.filter(
        // The offer as posted: by now it is edited to say it went elsewhere.
        (e) => e.getSender() === bot.userId && String(e.getOriginalContent()["body"]).includes(`New case ${code}`),
      );
      expect(offersInA).toHaveLength(1);
      expect((await listOffersForCase(database.db, code)).length).toBe(2);
      orgs[0]!.claimSlaMs = 60_000;
    },
  );

  it("posts the alerts the bridge recorded (relay halted, undecryptable) in the monitors' room, once each", async () => {
    // The bridge is not in the monitors' room: it records these alerts, and the router's tick posts them.
    const code = newCaseCode(randomBytes);
    const at = Date.parse("2026-11-29T04:20:00Z");
    await insertCase(database.db, {
      id: code,
      state: "closed",
      survivor_mxid: "@someone:hub",
      survivor_room_id: null,
      locale: "en",
      category: "domestic_violence",
      province: "phnom_penh",
      service_language: "en",
      urgent: false,
      under18: false,
      consent_summary: false,
      org_id: "ngo-a",
      created_at: at,
      updated_at: at,
      closed_at: at,
    });
    for (const kind of ["relay-halted", "undecryptable"]) {
      await insertAlert(database.db, {
        kind,
        case_id: code,
        org_id: "ngo-a",
        at,
        event_id: null,
        acked_by: null,
        acked_at: null,
      });
    }
    const posted = () =>
      monitors
        .messages(bot.userId)
        .map((e) => String(e.getContent().body))
        .filter((body) => body.includes(`Case ${code}:`));
    await monitors.waitFor("both recorded alerts", () => posted().length >= 2);
    await vi.waitUntil(async () => (await listAlertsForCase(database.db, code)).every((a) => a.event_id !== null), {
      timeout: 10_000,
      interval: 100,
    });
    const ack = translate("en", "alert.ackHint", { code });
    expect(posted()).toEqual([
      `⚠ ${translate("en", "alert.relayHalted", { code, time: "04:20" })}\n${ack}`,
      `⚠ ${translate("en", "alert.undecryptable", { code, time: "04:20" })}\n${ack}`,
    ]);
  });

  it("redacts its offers in the partners' queue rooms once their lifetime has run, seen on the partners' servers", async () => {
    const day = 86_400_000;
    // The router keeps escalating the earlier tests' cases: the run redacts what was offered up to a cutoff, once
    // every offer made by then has been posted.
    const cutoff = Date.now();
    const offeredByCutoff = database.db.selectFrom("offers").where("offered_at", "<=", cutoff);
    await vi.waitUntil(
      async () => (await offeredByCutoff.select("id").where("status", "=", "pending").execute()).length === 0,
      { timeout: 30_000, interval: 100 },
    );
    const posted = await offeredByCutoff.select(["event_id", "room_id"]).where("event_id", "is not", null).execute();
    expect(posted.length).toBeGreaterThan(5);
    const redacted = await redactExpiredOffers({
      db: database.db,
      redacter: bot.client,
      hubPolicy: { messageLifetimeMs: 30 * day, graceAfterCloseMs: 0, mediaLifetimeMs: day, metadataLifetimeMs: day },
      wait: pace(0),
      now: () => cutoff + 30 * day,
    });
    expect(redacted).toBe(posted.length);
    for (const name of ["a1", "b1"]) {
      const { queue } = responders.get(name)!;
      const offers = () =>
        queue.events.filter((e) => e.getSender() === bot.userId && posted.some((p) => p.event_id === e.getId()));
      await queue.waitFor(
        `every offer in ${name}'s queue room redacted`,
        () => offers().length > 0 && offers().every((e) => e.isRedacted()),
      );
    }
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: await log.read(), database }, 3);
  });
});
