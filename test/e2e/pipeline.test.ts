import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { listOffersForCase } from "../../core/db/repositories/offers.ts";
import { listAlertsForCase } from "../../core/db/repositories/alerts.ts";
import { getOrganisation } from "../../core/db/repositories/organisations.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { BotProcess } from "../harness/bot-process.ts";
import { startFederation, type Federation, type RegisteredUser } from "../harness/synapse.ts";
import {
  createEncryptedRoom,
  joinWhenInvited,
  joinOnceTheHubHasTheInvite,
  nextInvite,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { Survivor } from "../harness/survivor.ts";
import { havenSetup, partnerOrganisation, triage } from "../harness/haven-setup.ts";
import { Canaries, expectNoCanaries } from "../harness/canary.ts";

/**
 * The whole path through the real Haven process and the real routing engine: a survivor's triage on the hub
 * becomes an offer in org A's queue room on partner server A (never B's), a responder there claims it; and an
 * offer due while Haven is down still escalates on time after the restart, because its deadline is stored.
 */
const claimSlaMs = 5_000;

describe("from a survivor's triage to a partner's claim, through the Haven process", () => {
  let federation: Federation;
  let dir: string;
  let haven: BotProcess;
  let database: HavenDatabase;
  const clients: TestClient[] = [];
  const survivors: Survivor[] = [];
  let intake: RegisteredUser;
  let router: RegisteredUser;
  const queue: Record<string, { person: TestClient; seen: TimelineRecorder; roomId: string }> = {};
  /** The first survivor's case, carried from its claim to its transfer and close. */
  const canaries = new Canaries();
  let journey: { code: string; survivor: Survivor; herRoom: TimelineRecorder; caseRoomId: string; orgRoomId: string };

  beforeAll(async () => {
    federation = await startFederation();
    dir = await mkdtemp(join(tmpdir(), "haven-pipeline-"));
  });

  afterAll(async () => {
    await haven?.stop();
    for (const q of Object.values(queue)) q.seen.stop();
    journey?.herRoom.stop();
    await Promise.all([...clients, ...survivors].map((c) => c.stop()));
    await database?.close();
    await federation?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const offerSeen = (org: string, code: string) =>
    queue[org]!.seen.messages(router.userId).some((e) => String(e.getContent().body).includes(`New case ${code}`));

  it("routes a survivor's case to org A's queue room on its own server, where a responder claims it", async () => {
    const a1 = await federation.server("partner-a").registerUser("a1");
    const b1 = await federation.server("partner-b").registerUser("b1");
    ({ haven, intake, router } = await havenSetup(
      federation,
      dir,
      {
        fallbackOrganisation: "ngo-b",
        organisations: [
          partnerOrganisation("ngo-a", federation.server("partner-a").serverName, a1.userId, {
            claimSlaMs,
            replySlaMs: 5_000,
          }),
          partnerOrganisation("ngo-b", federation.server("partner-b").serverName, b1.userId),
        ],
        rules: [{ id: "dv-a-then-b", match: { categories: ["domestic_violence"] }, offerTo: ["ngo-a", "ngo-b"] }],
      },
      // The router's poll for waiting cases (a safety net) never runs after start here: each offer in this file
      // arrives because the intake bot hands her case to the router when her triage is done.
      { waitingPoll: "60m" },
    ));
    await haven.start().ready;
    database = await openHavenDatabase(join(dir, "data"));

    for (const [org, server, account] of [
      ["ngo-a", "partner-a", a1],
      ["ngo-b", "partner-b", b1],
    ] as const) {
      const person = await startTestClient(federation.server(server), account);
      clients.push(person);
      const roomId = await createEncryptedRoom(person.client, [router.userId]);
      await waitForMembership(person.client, roomId, router.userId, "join");
      queue[org] = { person, roomId, seen: new TimelineRecorder(person.client, roomId) };
      expect((await getOrganisation(database.db, org))?.queueRoomId).toBe(roomId);
    }

    const survivor = await Survivor.open(federation.server("hub"), intake.userId);
    survivors.push(survivor);
    const code = await triage(survivor);
    await queue["ngo-a"]!.seen.waitFor("the offer in A's queue room", () => offerSeen("ngo-a", code));
    await queue["ngo-a"]!.person.client.sendTextMessage(queue["ngo-a"]!.roomId, `!claim ${code}`);
    await queue["ngo-a"]!.seen.waitFor("the claim's confirmation", () =>
      queue["ngo-a"]!.seen.messages(router.userId).some((e) =>
        String(e.getContent().body).startsWith(`✅ Case ${code}`),
      ),
    );
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "claimed", org_id: "ngo-a" });
    expect((await listCaseHistory(database.db, code)).map((h) => [h.to_state, h.org_id, h.reason])).toEqual([
      ["intake", null, "triage-complete"],
      ["waiting", null, "case-room-ready"],
      ["offered", null, "offered:ngo-a:dv-a-then-b"],
      ["claimed", "ngo-a", "claimed:dv-a-then-b"],
    ]);
    expect(offerSeen("ngo-b", code)).toBe(false);

    // The bridge: the responder is invited to an org-side room, the survivor joins her case room; both talk.
    const responder = queue["ngo-a"]!.person;
    const orgRoomId = await nextInvite(responder, [queue["ngo-a"]!.roomId]);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
    const caseRoomId = (await getCaseByCode(database.db, code))!.survivor_room_id!;
    const her = survivor.person.client;
    await joinWhenInvited(her, caseRoomId);
    const herRoom = new TimelineRecorder(her, caseRoomId);
    const taken = translate("en", "bridge.caseTaken", { org: "NGO-A" });
    await herRoom.waitFor("she is told who has her case", () =>
      herRoom.messages(intake.userId).some((e) => e.getContent().body === taken),
    );
    const first = canaries.mark("is anyone there?");
    await her.sendTextMessage(caseRoomId, first);
    await orgRoom.waitFor("her message", () => orgRoom.messages(intake.userId).length >= 1);
    const reply = canaries.mark("yes, we are here");
    await responder.client.sendTextMessage(orgRoomId, reply);
    await herRoom.waitFor("their reply", () =>
      herRoom.messages(intake.userId).some((e) => e.getContent().body === `NGO-A counsellor: ${reply}`),
    );
    expect(orgRoom.messages(intake.userId).map((e) => String(e.getContent().body))).toEqual([`Case ${code}: ${first}`]);
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "active", org_id: "ngo-a" });
    expect(JSON.stringify(orgRoom.events.map((e) => [e.getSender(), e.getStateKey(), e.getContent()]))).not.toContain(
      survivor.userId,
    );

    // Her next message gets no reply: after the organisation's reply SLA, the review team is told, once.
    const { event_id: unanswered } = await her.sendTextMessage(caseRoomId, canaries.mark("hello?"));
    await orgRoom.waitFor("her unanswered message", () => orgRoom.messages(intake.userId).length >= 2);
    const sentAt = Date.now();
    await vi.waitFor(
      async () => expect((await listAlertsForCase(database.db, code)).map((a) => a.kind)).toContain("reply-overdue"),
      { timeout: 30_000, interval: 250 },
    );
    const [overdue, ...more] = (await listAlertsForCase(database.db, code)).filter((a) => a.kind === "reply-overdue");
    expect(more).toEqual([]);
    expect(Number(overdue!.at) - sentAt).toBeGreaterThanOrEqual(4_000);
    expect(unanswered).toMatch(/^\$/);
    orgRoom.stop();
    journey = { code, survivor, herRoom, caseRoomId, orgRoomId };
  });

  it("transfers the case from A to B, who gets only what she wrote meanwhile, and B closes it", async () => {
    const { code, survivor, herRoom, caseRoomId, orgRoomId: roomOfA } = journey;
    const [a, b] = [queue["ngo-a"]!, queue["ngo-b"]!];
    const fromBot = () => herRoom.messages(intake.userId).map((e) => String(e.getContent().body));
    await a.person.client.sendTextMessage(a.roomId, `!transfer ${code} ngo-b`);
    await waitForMembership(a.person.client, roomOfA, a.person.user.userId, "leave");
    await herRoom.waitFor("she is told her case is moving", () =>
      fromBot().includes(translate("en", "bridge.caseMoving")),
    );
    const meanwhile = canaries.mark("still here");
    await survivor.person.client.sendTextMessage(caseRoomId, meanwhile);
    await b.seen.waitFor("the transferred offer in B's queue room", () => offerSeen("ngo-b", code));
    await b.person.client.sendTextMessage(b.roomId, `!claim ${code}`);
    const roomOfB = await nextInvite(b.person, [b.roomId]);
    await joinOnceTheHubHasTheInvite(b.person, roomOfB);
    const orgRoom = new TimelineRecorder(b.person.client, roomOfB);
    await orgRoom.waitFor("what she wrote during the transfer", () => orgRoom.messages(intake.userId).length >= 1);
    await herRoom.waitFor("she is told B has her case", () =>
      fromBot().includes(translate("en", "bridge.caseTaken", { org: "NGO-B" })),
    );
    await b.person.client.sendTextMessage(roomOfB, "!close");
    await waitForMembership(b.person.client, roomOfB, b.person.user.userId, "leave");
    await herRoom.waitFor("she is told her case is closed", () =>
      fromBot().includes(translate("en", "bridge.caseClosed", { code })),
    );
    expect(orgRoom.messages(intake.userId).map((e) => String(e.getContent().body))).toEqual([
      `Case ${code}: ${meanwhile}`,
      `Case ${code} is closed. This room is now closed.`,
    ]);
    expect(await getCaseByCode(database.db, code)).toMatchObject({ state: "closed", org_id: "ngo-b" });
    expect((await listCaseHistory(database.db, code)).slice(4).map((h) => [h.to_state, h.org_id, h.reason])).toEqual([
      ["active", "ngo-a", "relay-room-ready"],
      ["offered", null, "transfer:ngo-a->ngo-b"],
      ["claimed", "ngo-b", "claimed"],
      ["active", "ngo-b", "relay-room-ready"],
      ["closed", "ngo-b", "closed:ngo-b"],
    ]);
    orgRoom.stop();
  });

  it("escalates an offer that fell due while Haven was down, on time after the restart", async () => {
    const survivor = await Survivor.open(federation.server("partner-a"), intake.userId);
    survivors.push(survivor);
    await survivor.waitForBotMessages(1, "the greeting");
    await survivor.say(canaries.mark("please help me"), translate("en", "welcome.languageQuestion"));
    const code = await triage(survivor);
    await queue["ngo-a"]!.seen.waitFor("the offer in A's queue room", () => offerSeen("ngo-a", code));
    await haven.kill();
    await haven.start().ready;
    const backAt = Date.now();
    await queue["ngo-b"]!.seen.waitFor("the escalated offer in B's queue room", () => offerSeen("ngo-b", code), 60_000);
    const offers = await listOffersForCase(database.db, code);
    expect(offers.map((o) => [o.org_id, o.status])).toEqual([
      ["ngo-a", "expired"],
      ["ngo-b", "open"],
    ]);
    // Not before its deadline, and once both the deadline has come and Haven is back, sooner than a whole further
    // claim SLA: the deadline was kept across the restart, not started again.
    expect(offers[1]!.offered_at).toBeGreaterThanOrEqual(offers[0]!.deadline_at);
    expect(offers[1]!.offered_at - Math.max(offers[0]!.deadline_at, backAt)).toBeLessThan(claimSlaMs);
  });

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await haven.stop();
    await expectNoCanaries(canaries, { dataDir: join(dir, "data"), log: haven.output, database }, 5);
  });
});
