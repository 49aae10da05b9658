import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { EventType, MsgType, RelationType, type Room } from "matrix-js-sdk";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import { answerInvites } from "../../core/matrix/invites.ts";
import { startRoomEventStream, type DeliveredEvent, type EventLedger } from "../../core/matrix/room-event-stream.ts";
import type { Case, Database, Offer } from "../../core/db/schema.ts";
import { getCaseByCode, listCasesByState } from "../../core/db/repositories/cases.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { claimOffer, placeOffer } from "../../core/db/offer-transitions.ts";
import {
  getLiveOffer,
  getOfferByEvent,
  listOffersForCase,
  listOverdueOffers,
  listPendingOffers,
  markOfferPosted,
  settleOffer,
} from "../../core/db/repositories/offers.ts";
import { ackAlertsForCase, listAlertsForCase } from "../../core/db/repositories/alerts.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { translate } from "../../core/i18n/translate.ts";
import { offerExpiredMessage, offerMessage, offerTakenMessage } from "./offer-message.ts";
import { parseStaffCommand, staffHelp, type StaffCommand } from "./staff-commands.ts";
import { postRecordedAlerts, raiseAlert, type AlertDeps } from "./alerts.ts";
import { listReplyWaits } from "../../core/db/repositories/relay.ts";

/** What the router needs to know of a partner organisation. */
export interface RoutableOrganisation {
  id: string;
  shortName: Readonly<Record<Locale, string>>;
  /** The language the router writes in to this organisation's staff. */
  staffLanguage: Locale;
  queueRoomId: string | null;
  responders: readonly string[];
  claimSlaMs: number;
  /** How long her message may wait for a responder's reply before the review team is told. */
  replySlaMs: number;
}

/** The routing engine's verdict for one case, or undefined when there is truly nobody (not even a fallback). */
export interface Choice {
  orgId: string;
  ruleId: string | null;
  fallbackUsed: boolean;
}

export interface RouterBotDeps {
  /** Called when its event stream cannot go on without losing events (the disk is full); the process stops. */
  onFatal?: (error: unknown) => void;
  bot: BotClient;
  db: Kysely<Database>;
  ledger: EventLedger;
  logger: Logger;
  organisations: () => Promise<readonly RoutableOrganisation[]>;
  /** Picks the next organisation for the case, skipping those already tried. */
  choose: (theCase: Case, excludeOrgIds: readonly string[]) => Promise<Choice | undefined>;
  /** Whether the organisation can take the case now (open, not full); the reasons when it cannot. */
  canTake: (
    theCase: Case,
    orgId: string,
  ) => Promise<{ ok: true } | { ok: false; reasons: readonly CannotTakeReason[] }>;
  monitorsRoomId?: string;
  /** The review team's language in the monitors' room; English when not given. */
  monitorsLanguage?: Locale;
  /**
   * Records an organisation's queue room when one of its responders invites the router and the organisation
   * has none linked yet. Without it only rooms already configured are joined.
   */
  linkQueueRoom?: (orgId: string, roomId: string) => Promise<void>;
  now?: () => number;
  /** How often deadlines are looked at and offers not yet posted are tried again. */
  tickMs?: number;
  /**
   * How often every waiting case is looked for. A safety net only (cases left waiting by a restart, a crash, a
   * failed hand-off): the intake bot hands each new case over through `caseWaiting` at once.
   */
  waitingPollMs?: number;
}

export interface RouterBot {
  /** Runs one pass of routing, posting and escalation now (also what the timers do). */
  tick(): Promise<void>;
  /**
   * A case has just become `waiting` (intake finished it): offer it now instead of at the next poll. Resolves
   * once the offer is recorded and (when its queue room can be reached) posted; never rejects.
   */
  caseWaiting(code: string): Promise<void>;
  stop(): Promise<void>;
}

/** Why an organisation cannot take a case now: each has its words in the staff catalogues (`staff.why.*`). */
export const CANNOT_TAKE_REASONS = [
  "category-not-served",
  "province-not-served",
  "language-not-spoken",
  "not-child-protection",
  "closed-now",
  "full",
  "responders-busy",
  "no-responders",
  "not-linked",
] as const;
export type CannotTakeReason = (typeof CANNOT_TAKE_REASONS)[number];

const claimReactions = new Set(["✅", "✔️", "☑️", "👍"]);

/**
 * Puts every waiting case before one organisation at a time, in its queue room on its own homeserver; the
 * first valid claim makes that organisation accountable; an offer not claimed by its deadline moves on to
 * the next organisation and the review team is told. Deadlines live in the database, so a restart misses none.
 * Staff read it in their organisation's staff language; the review team in `monitorsLanguage`.
 */
export function startRouterBot(deps: RouterBotDeps): RouterBot {
  const { bot, db, logger } = deps;
  const client = bot.client;
  const now = deps.now ?? Date.now;
  const monitorsLocale: Locale = deps.monitorsLanguage ?? "en";
  const alertDeps: AlertDeps = { client, db, logger, monitorsRoomId: deps.monitorsRoomId, locale: monitorsLocale };

  const orgById = async (id: string): Promise<RoutableOrganisation | undefined> =>
    (await deps.organisations()).find((org) => org.id === id);
  const orgByQueueRoom = async (roomId: string): Promise<RoutableOrganisation | undefined> =>
    (await deps.organisations()).find((org) => org.queueRoomId === roomId);
  /** An organisation's name as the review team reads it. */
  const monitorsName = (org: RoutableOrganisation | undefined, orgId: string): string =>
    org?.shortName[monitorsLocale] ?? orgId;

  const reply = async (roomId: string, body: string, source: string): Promise<void> => {
    await client.sendMessage(roomId, { msgtype: MsgType.Notice, body }, `router-${source}`);
  };

  const editOffer = async (offer: Offer, body: string): Promise<void> => {
    if (offer.event_id === null) return;
    try {
      await client.sendMessage(
        offer.room_id,
        {
          msgtype: MsgType.Notice,
          body: `* ${body}`,
          "m.new_content": { msgtype: MsgType.Notice, body },
          "m.relates_to": { rel_type: RelationType.Replace, event_id: offer.event_id },
        },
        `router-edit-${offer.id}-${offer.status}`,
      );
    } catch (error) {
      logger.warn({ offerId: offer.id, err: error }, "could not edit an offer");
    }
  };

  /**
   * Offers the case to the next organisation (or to `to`, on a transfer), if it is still as the caller saw it:
   * from waiting, from offered on escalation, or from claimed/active (held by `to.from`) on a transfer.
   */
  const offerCase = async (
    theCase: Case,
    to?: { orgId: string; from: string; reason: string; actor: string },
  ): Promise<boolean> => {
    const tried = (await listOffersForCase(db, theCase.id)).map((offer) => offer.org_id);
    const choice: Choice | undefined =
      to === undefined ? await deps.choose(theCase, tried) : { orgId: to.orgId, ruleId: null, fallbackUsed: false };
    const at = now();
    if (choice === undefined) {
      const alerts = await listAlertsForCase(db, theCase.id);
      if (alerts.some((alert) => alert.kind === "no-organisation" && alert.acked_by === null)) return false;
      await raiseAlert(alertDeps, {
        kind: "no-organisation",
        caseId: theCase.id,
        orgId: null,
        at,
        text: translate(monitorsLocale, "alert.noOrganisation", { code: theCase.id }),
      });
      return false;
    }
    const org = await orgById(choice.orgId);
    if (org?.queueRoomId == null) {
      logger.error({ orgId: choice.orgId }, "chosen organisation has no queue room");
      return false;
    }
    const placed = await placeOffer(db, {
      code: theCase.id,
      expected: to === undefined ? { states: [theCase.state] } : { states: ["claimed", "active"], orgId: to.from },
      org: { id: org.id, queueRoomId: org.queueRoomId, claimSlaMs: org.claimSlaMs },
      ruleId: choice.ruleId,
      actor: to?.actor ?? bot.userId,
      at,
      reason:
        to?.reason ??
        `offered:${org.id}${choice.ruleId ? `:${choice.ruleId}` : ""}${choice.fallbackUsed ? ":fallback" : ""}`,
    });
    if (!placed.ok) {
      logger.info({ caseCode: theCase.id, result: placed.reason }, "case moved meanwhile; not offered");
      return false;
    }
    if (choice.fallbackUsed) {
      await raiseAlert(alertDeps, {
        kind: "fallback-used",
        caseId: theCase.id,
        orgId: org.id,
        at,
        text: translate(monitorsLocale, "alert.fallbackUsed", { code: theCase.id, org: monitorsName(org, org.id) }),
      });
    }
    return true;
  };

  /** The safety net: cases left waiting (a restart, a failed hand-off), and offered cases whose offer was lost. */
  const routeWaitingCases = async (): Promise<void> => {
    for (const theCase of await listCasesByState(db, "waiting")) await offerCase(theCase);
    for (const theCase of await listCasesByState(db, "offered")) {
      const offers = await listOffersForCase(db, theCase.id);
      if (!offers.some((offer) => offer.status === "pending" || offer.status === "open")) await offerCase(theCase);
    }
  };

  const postOffer = async (offer: Offer): Promise<void> => {
    const theCase = await getCaseByCode(db, offer.case_id);
    if (!theCase) return;
    const org = await orgById(offer.org_id);
    try {
      const { event_id: eventId } = await client.sendMessage(
        offer.room_id,
        { msgtype: MsgType.Text, body: offerMessage(org?.staffLanguage ?? "en", theCase, now()) },
        `offer-${offer.id}`,
      );
      await markOfferPosted(db, offer.id, eventId);
    } catch (error) {
      logger.warn({ offerId: offer.id, orgId: offer.org_id, err: error }, "offer not posted yet; will retry");
      // The router lost a capability (kicked from the queue room, room gone): the review team hears it once.
      const alerts = await listAlertsForCase(db, offer.case_id);
      if (!alerts.some((alert) => alert.kind === "offer-not-posted" && alert.org_id === offer.org_id)) {
        await raiseAlert(alertDeps, {
          kind: "offer-not-posted",
          caseId: offer.case_id,
          orgId: offer.org_id,
          at: now(),
          text: translate(monitorsLocale, "alert.offerNotPosted", { code: offer.case_id, org: offer.org_id }),
        });
      }
    }
  };

  const postPendingOffers = async (caseCode?: string): Promise<void> => {
    for (const offer of await listPendingOffers(db)) {
      if (caseCode === undefined || offer.case_id === caseCode) await postOffer(offer);
    }
  };

  const escalateOverdueOffers = async (): Promise<void> => {
    const at = now();
    for (const offer of await listOverdueOffers(db, at)) {
      if (!(await settleOffer(db, { id: offer.id, from: ["pending", "open"], to: "expired", at }))) continue;
      const theCase = await getCaseByCode(db, offer.case_id);
      if (theCase?.state !== "offered") continue;
      const org = await orgById(offer.org_id);
      await editOffer({ ...offer, status: "expired" }, offerExpiredMessage(org?.staffLanguage ?? "en", offer.case_id));
      await raiseAlert(alertDeps, {
        kind: "offer-escalated",
        caseId: offer.case_id,
        orgId: offer.org_id,
        at,
        text: translate(monitorsLocale, "alert.offerEscalated", {
          code: offer.case_id,
          org: monitorsName(org, offer.org_id),
          minutes: Math.round((offer.deadline_at - offer.offered_at) / 60_000),
        }),
      });
      await offerCase(theCase);
    }
  };

  /** Her last message has waited longer than the organisation's reply SLA: the review team is told, once per message. */
  const raiseOverdueReplies = async (): Promise<void> => {
    const at = now();
    for (const wait of await listReplyWaits(db)) {
      if (wait.orgLastAt !== null && wait.orgLastAt >= wait.herLastAt) continue;
      const org = await orgById(wait.orgId);
      if (org === undefined || at - wait.herLastAt < org.replySlaMs) continue;
      const earlier = await listAlertsForCase(db, wait.caseId);
      if (earlier.some((alert) => alert.kind === "reply-overdue" && Number(alert.at) >= wait.herLastAt)) continue;
      await raiseAlert(alertDeps, {
        kind: "reply-overdue",
        caseId: wait.caseId,
        orgId: wait.orgId,
        at,
        text: translate(monitorsLocale, "alert.replyOverdue", {
          code: wait.caseId,
          org: monitorsName(org, wait.orgId),
          minutes: Math.round((at - wait.herLastAt) / 60_000),
        }),
      });
    }
  };

  // Every pass of routing, escalation and hand-off runs one at a time, in the order asked for.
  let running: Promise<void> = Promise.resolve();
  const serially = (what: string, work: () => Promise<void>): Promise<void> => {
    running = running.then(async () => {
      try {
        await work();
      } catch (error) {
        logger.error({ err: error, pass: what }, "routing pass failed");
      }
    });
    return running;
  };

  const tick = (): Promise<void> =>
    serially("tick", async () => {
      await escalateOverdueOffers();
      await postPendingOffers();
      await raiseOverdueReplies();
      await postRecordedAlerts(alertDeps);
    });
  const pollWaiting = (): Promise<void> =>
    serially("waiting", async () => {
      await routeWaitingCases();
      await postPendingOffers();
    });
  const caseWaiting = (code: string): Promise<void> =>
    serially("hand-off", async () => {
      const theCase = await getCaseByCode(db, code);
      if (theCase?.state !== "waiting") return;
      if (await offerCase(theCase)) await postPendingOffers(code);
    });

  const claim = async (
    org: RoutableOrganisation,
    responder: string,
    code: string,
    offer: Offer | undefined,
    roomId: string,
    source: string,
  ): Promise<void> => {
    const locale = org.staffLanguage;
    const orgName = org.shortName[locale];
    if (!org.responders.includes(responder)) {
      return reply(roomId, translate(locale, "staff.claim.notResponder", { org: orgName }), source);
    }
    const theCase = await getCaseByCode(db, code);
    const live = offer ?? (theCase ? await getLiveOffer(db, theCase.id, org.id) : undefined);
    const takenMessage = async (key: "staff.claim.takenBy" | "staff.claim.justTaken"): Promise<string | undefined> => {
      const current = await getCaseByCode(db, code);
      if (current?.state !== "claimed" && current?.state !== "active") return undefined;
      const holder = current.org_id === null ? undefined : await orgById(current.org_id);
      return holder
        ? translate(locale, key, { code, org: holder.shortName[locale] })
        : translate(locale, "staff.claim.takenByAnother", { code });
    };
    if (!theCase || !live || live.org_id !== org.id) {
      const taken = await takenMessage("staff.claim.takenBy");
      return reply(roomId, taken ?? translate(locale, "staff.claim.notOffered", { code, org: orgName }), source);
    }
    const claimed = await claimOffer(db, { offer: live, responder, at: now() });
    if (!claimed.ok) {
      if (claimed.reason === "case-moved") {
        logger.warn({ caseCode: code, result: claimed.result.reason }, "claim refused: the case moved meanwhile");
        return reply(roomId, translate(locale, "staff.claim.impossible", { code }), source);
      }
      const taken = await takenMessage("staff.claim.justTaken");
      return reply(roomId, taken ?? translate(locale, "staff.claim.noLongerOffered", { code, org: orgName }), source);
    }
    // Told only now, after the claim and the case's move are committed together.
    await editOffer(live, offerTakenMessage(locale, code, orgName));
    await reply(roomId, translate(locale, "staff.claim.confirmed", { code, org: orgName, responder }), source);
  };

  /** Release, transfer or close a case this organisation holds; refused with the reason otherwise. */
  const changeCustody = async (
    command: Extract<StaffCommand, { name: "release" | "close" | "transfer" }>,
    org: RoutableOrganisation,
    roomId: string,
    responder: string,
    source: string,
  ): Promise<void> => {
    const locale = org.staffLanguage;
    const orgName = org.shortName[locale];
    const code = command.code;
    if (!org.responders.includes(responder)) {
      return reply(roomId, translate(locale, "staff.custody.notResponder", { org: orgName }), source);
    }
    const theCase = await getCaseByCode(db, code);
    if (!theCase || theCase.org_id !== org.id || (theCase.state !== "claimed" && theCase.state !== "active")) {
      return reply(roomId, translate(locale, "staff.custody.notHeld", { code, org: orgName }), source);
    }
    if (command.name === "transfer") {
      const target = await orgById(command.org);
      if (!target || target.id === org.id) {
        return reply(roomId, translate(locale, "staff.transfer.noSuchOrg", { org: command.org }), source);
      }
      const targetName = target.shortName[locale];
      const able = await deps.canTake(theCase, target.id);
      if (!able.ok) {
        const reasons = able.reasons.map((reason) => translate(locale, `staff.why.${reason}`)).join("; ");
        return reply(roomId, translate(locale, "staff.transfer.refused", { org: targetName, reasons }), source);
      }
      const offered = await offerCase(theCase, {
        orgId: target.id,
        from: org.id,
        reason: `transfer:${org.id}->${target.id}`,
        actor: responder,
      });
      if (!offered) return reply(roomId, translate(locale, "staff.custody.changedMeanwhile", { code }), source);
      void serially("transfer", () => postPendingOffers(code));
      return reply(roomId, translate(locale, "staff.transfer.started", { code, to: targetName, org: orgName }), source);
    }
    const release = command.name === "release";
    const moved = await moveCase(db, {
      code,
      to: release ? "waiting" : "closed",
      actor: responder,
      at: now(),
      orgId: release ? null : org.id,
      reason: release ? `released:${org.id}` : `closed:${org.id}`,
      expected: { states: ["claimed", "active"], orgId: org.id },
    });
    if (!moved.ok) return reply(roomId, translate(locale, "staff.custody.changedMeanwhile", { code }), source);
    if (release) void caseWaiting(code);
    return reply(
      roomId,
      translate(locale, release ? "staff.released" : "staff.closed", { code, org: orgName }),
      source,
    );
  };

  const runCommand = async (command: StaffCommand, room: Room, sender: string, source: string): Promise<void> => {
    const org = await orgByQueueRoom(room.roomId);
    const inMonitorsRoom = room.roomId === deps.monitorsRoomId;
    const locale: Locale = org?.staffLanguage ?? (inMonitorsRoom ? monitorsLocale : "en");
    switch (command.name) {
      case "help":
        return reply(room.roomId, staffHelp(locale), source);
      case "ack": {
        if (!inMonitorsRoom) return reply(room.roomId, translate(locale, "staff.ack.wrongRoom"), source);
        const count = await ackAlertsForCase(db, command.code, sender, now());
        return reply(
          room.roomId,
          translate(locale, "staff.ack.noted", { who: sender, code: command.code, count }),
          source,
        );
      }
      case "claim":
        if (!org) return reply(room.roomId, translate(locale, "staff.claim.wrongRoom"), source);
        return claim(org, sender, command.code, undefined, room.roomId, source);
      case "cases": {
        if (!org) return reply(room.roomId, translate(locale, "staff.queueRoomOnly", { command: "cases" }), source);
        const mine = [...(await listCasesByState(db, "claimed")), ...(await listCasesByState(db, "active"))].filter(
          (c) => c.org_id === org.id,
        );
        const lines = mine.map((c) =>
          translate(locale, "staff.cases.line", {
            code: c.id,
            state: translate(locale, c.state === "active" ? "staff.state.active" : "staff.state.claimed"),
            minutes: Math.floor((now() - c.updated_at) / 60_000),
          }),
        );
        const none = translate(locale, "staff.cases.none", { org: org.shortName[locale] });
        return reply(room.roomId, lines.length === 0 ? none : lines.join("\n"), source);
      }
      case "release":
      case "close":
      case "transfer":
        if (!org)
          return reply(room.roomId, translate(locale, "staff.queueRoomOnly", { command: command.name }), source);
        return changeCustody(command, org, room.roomId, sender, source);
    }
  };

  const handler = async ({ event, room }: DeliveredEvent): Promise<void> => {
    const sender = event.getSender();
    if (sender === undefined || sender === bot.userId) return;
    const source = event.getId() ?? "";
    if (event.getType() === (EventType.Reaction as string)) {
      const relation = event.getContent<{ "m.relates_to"?: { key?: string; event_id?: string } }>()["m.relates_to"];
      if (!relation?.event_id || !claimReactions.has(relation.key ?? "")) return;
      const offer = await getOfferByEvent(db, relation.event_id);
      const org = await orgByQueueRoom(room.roomId);
      if (!offer || !org) return;
      return claim(org, sender, offer.case_id, offer, room.roomId, source);
    }
    if (event.getType() !== (EventType.RoomMessage as string)) return;
    const body = event.getContent<{ body?: string }>().body;
    if (typeof body !== "string") return;
    const parsed = parseStaffCommand(body);
    if (parsed.ok) return runCommand(parsed.command, room, sender, source);
    if (parsed.problem === "not-a-command") return;
    const org = await orgByQueueRoom(room.roomId);
    const locale: Locale = org?.staffLanguage ?? (room.roomId === deps.monitorsRoomId ? monitorsLocale : "en");
    if (parsed.problem === "unknown-command") {
      return reply(room.roomId, translate(locale, "staff.unknownCommand", { name: parsed.name }), source);
    }
    return reply(room.roomId, translate(locale, "staff.usage", { usage: parsed.usage }), source);
  };

  const stopInvites = answerInvites(
    client,
    async ({ room, inviter }) => {
      if (room.roomId === deps.monitorsRoomId || (await orgByQueueRoom(room.roomId)) !== undefined) return "join";
      const unlinked = (await deps.organisations()).find(
        (org) => org.queueRoomId === null && inviter !== undefined && org.responders.includes(inviter),
      );
      if (unlinked === undefined || deps.linkQueueRoom === undefined) return "reject";
      await deps.linkQueueRoom(unlinked.id, room.roomId);
      logger.info({ orgId: unlinked.id, roomId: room.roomId }, "queue room linked");
      return "join";
    },
    logger,
  );
  const stream = startRoomEventStream({
    client,
    ledger: deps.ledger,
    handler,
    logger,
    ...(deps.onFatal && { onFatal: deps.onFatal }),
  });
  void pollWaiting();
  const timers = [
    setInterval(() => void tick(), deps.tickMs ?? 1_000),
    setInterval(() => void pollWaiting(), deps.waitingPollMs ?? 15_000),
  ];

  return {
    tick: async () => {
      await pollWaiting();
      await tick();
    },
    caseWaiting,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      stopInvites();
      await stream.stop();
      await running;
    },
  };
}
