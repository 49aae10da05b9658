import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { EventType, MsgType, RelationType, type Room } from "matrix-js-sdk";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import { answerInvites } from "../../core/matrix/invites.ts";
import { startRoomEventStream, type DeliveredEvent, type EventLedger } from "../../core/matrix/room-event-stream.ts";
import type { Case, Database, Offer } from "../../core/db/schema.ts";
import { getCaseByCode, listCasesByState } from "../../core/db/repositories/cases.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { offerCaseTo, transferCase } from "../../core/db/case-offer.ts";
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
import { offerExpiredMessage, offerMessage, offerTakenMessage } from "./offer-message.ts";
import { parseStaffCommand, staffHelp, type StaffCommand } from "./staff-commands.ts";
import { postRecordedAlerts, raiseAlert } from "./alerts.ts";
import { listReplyWaits } from "../../core/db/repositories/relay.ts";

/** What the router needs to know of a partner organisation. */
export interface RoutableOrganisation {
  id: string;
  shortName: { en: string };
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
  /** Whether the organisation can take the case now (open, not full); the reason when it cannot. */
  canTake: (theCase: Case, orgId: string) => Promise<{ ok: true } | { ok: false; reason: string }>;
  monitorsRoomId?: string;
  /**
   * Records an organisation's queue room when one of its responders invites the router and the organisation
   * has none linked yet. Without it only rooms already configured are joined.
   */
  linkQueueRoom?: (orgId: string, roomId: string) => Promise<void>;
  now?: () => number;
  /** How often deadlines and waiting cases are looked at. */
  tickMs?: number;
}

export interface RouterBot {
  /** Runs one pass of routing, posting and escalation now (also what the timer does). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

const claimReactions = new Set(["✅", "✔️", "☑️", "👍"]);

/**
 * Puts every waiting case before one organisation at a time, in its queue room on its own homeserver; the
 * first valid claim makes that organisation accountable; an offer not claimed by its deadline moves on to
 * the next organisation and the review team is told. Deadlines live in the database, so a restart misses none.
 */
export function startRouterBot(deps: RouterBotDeps): RouterBot {
  const { bot, db, logger } = deps;
  const client = bot.client;
  const now = deps.now ?? Date.now;
  const alertDeps = { client, db, logger, monitorsRoomId: deps.monitorsRoomId };

  const orgById = async (id: string): Promise<RoutableOrganisation | undefined> =>
    (await deps.organisations()).find((org) => org.id === id);
  const orgByQueueRoom = async (roomId: string): Promise<RoutableOrganisation | undefined> =>
    (await deps.organisations()).find((org) => org.queueRoomId === roomId);

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

  /** Offers the case to the next organisation; moves it to `offered` from waiting, or from offered on escalation. */
  const offerCase = async (theCase: Case): Promise<void> => {
    const tried = (await listOffersForCase(db, theCase.id)).map((offer) => offer.org_id);
    const choice = await deps.choose(theCase, tried);
    const at = now();
    if (choice === undefined) {
      const alerts = await listAlertsForCase(db, theCase.id);
      if (alerts.some((alert) => alert.kind === "no-organisation" && alert.acked_by === null)) return;
      await raiseAlert(alertDeps, {
        kind: "no-organisation",
        caseId: theCase.id,
        orgId: null,
        at,
        text: `Case ${theCase.id}: no organisation left to offer it to. A coordinator must act now.`,
      });
      return;
    }
    const org = await orgById(choice.orgId);
    if (org?.queueRoomId == null) {
      logger.error({ orgId: choice.orgId }, "chosen organisation has no queue room");
      return;
    }
    const offered = await offerCaseTo(db, {
      code: theCase.id,
      to: org,
      ruleId: choice.ruleId,
      actor: bot.userId,
      at,
      reason: `offered:${org.id}${choice.ruleId ? `:${choice.ruleId}` : ""}${choice.fallbackUsed ? ":fallback" : ""}`,
    });
    if (!offered.ok) return;
    if (choice.fallbackUsed) {
      await raiseAlert(alertDeps, {
        kind: "fallback-used",
        caseId: theCase.id,
        orgId: org.id,
        at,
        text: `Case ${theCase.id}: no partner matched or all declined; offered to the fallback ${org.shortName.en}.`,
      });
    }
  };

  const routeWaitingCases = async (): Promise<void> => {
    for (const theCase of await listCasesByState(db, "waiting")) await offerCase(theCase);
    // An offered case with no live offer (a crash between moving it and recording the offer) is offered again.
    for (const theCase of await listCasesByState(db, "offered")) {
      const offers = await listOffersForCase(db, theCase.id);
      if (!offers.some((offer) => offer.status === "pending" || offer.status === "open")) await offerCase(theCase);
    }
  };

  const postPendingOffers = async (): Promise<void> => {
    for (const offer of await listPendingOffers(db)) {
      const theCase = await getCaseByCode(db, offer.case_id);
      if (!theCase) continue;
      try {
        const { event_id: eventId } = await client.sendMessage(
          offer.room_id,
          { msgtype: MsgType.Text, body: offerMessage(theCase, now()) },
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
            text: `Case ${offer.case_id}: the offer could not be posted in ${offer.org_id}'s queue room; retrying until its deadline, then escalating.`,
          });
        }
      }
    }
  };

  const escalateOverdueOffers = async (): Promise<void> => {
    const at = now();
    for (const offer of await listOverdueOffers(db, at)) {
      if (!(await settleOffer(db, { id: offer.id, from: ["pending", "open"], to: "expired", at }))) continue;
      const theCase = await getCaseByCode(db, offer.case_id);
      if (theCase?.state !== "offered") continue;
      const org = await orgById(offer.org_id);
      await editOffer({ ...offer, status: "expired" }, offerExpiredMessage(offer.case_id));
      await raiseAlert(alertDeps, {
        kind: "offer-escalated",
        caseId: offer.case_id,
        orgId: offer.org_id,
        at,
        text: `Case ${offer.case_id}: not claimed by ${org?.shortName.en ?? offer.org_id} within ${Math.round((offer.deadline_at - offer.offered_at) / 60_000)} min; moving to the next organisation.`,
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
        text: `Case ${wait.caseId}: her message has had no reply from ${org.shortName.en} for ${Math.round((at - wait.herLastAt) / 60_000)} min.`,
      });
    }
  };

  let running: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => {
    running = running.then(async () => {
      try {
        await escalateOverdueOffers();
        await routeWaitingCases();
        await postPendingOffers();
        await raiseOverdueReplies();
        await postRecordedAlerts(alertDeps);
      } catch (error) {
        logger.error({ err: error }, "routing pass failed");
      }
    });
    return running;
  };

  const claim = async (
    org: RoutableOrganisation,
    responder: string,
    code: string,
    offer: Offer | undefined,
    roomId: string,
    source: string,
  ): Promise<void> => {
    if (!org.responders.includes(responder)) {
      return reply(roomId, `Only responders listed for ${org.shortName.en} can claim cases.`, source);
    }
    const theCase = await getCaseByCode(db, code);
    const live = offer ?? (theCase ? await getLiveOffer(db, theCase.id, org.id) : undefined);
    if (!theCase || !live || live.org_id !== org.id) {
      if (theCase && (theCase.state === "claimed" || theCase.state === "active")) {
        const holder = theCase.org_id === null ? undefined : await orgById(theCase.org_id);
        return reply(
          roomId,
          `Case ${code} is already taken by ${holder?.shortName.en ?? "another organisation"}.`,
          source,
        );
      }
      return reply(
        roomId,
        `Case ${code} is not offered to ${org.shortName.en} (unknown, expired or moved on).`,
        source,
      );
    }
    const at = now();
    if (!(await settleOffer(db, { id: live.id, from: ["pending", "open"], to: "claimed", at, claimedBy: responder }))) {
      const current = await getCaseByCode(db, code);
      const holder = current?.org_id ? await orgById(current.org_id) : undefined;
      return reply(roomId, `Case ${code} was just taken${holder ? ` by ${holder.shortName.en}` : ""}.`, source);
    }
    const moved = await moveCase(db, {
      code,
      to: "claimed",
      actor: responder,
      at,
      orgId: org.id,
      reason: `claimed${live.rule_id ? `:${live.rule_id}` : ""}`,
    });
    if (!moved.ok) {
      logger.error({ caseCode: code, result: moved.reason }, "claim recorded on the offer but the case did not move");
      return reply(roomId, `Case ${code} can no longer be claimed.`, source);
    }
    await editOffer(live, offerTakenMessage(code, org.shortName.en));
    await reply(
      roomId,
      `✅ Case ${code} is now the responsibility of ${org.shortName.en} (claimed by ${responder}).`,
      source,
    );
  };

  /** Release, transfer or close a case this organisation holds; refused with the reason otherwise. */
  const changeCustody = async (
    command: Extract<StaffCommand, { name: "release" | "close" | "transfer" }>,
    org: RoutableOrganisation,
    roomId: string,
    responder: string,
    source: string,
  ): Promise<void> => {
    if (!org.responders.includes(responder)) {
      return reply(roomId, `Only responders listed for ${org.shortName.en} can do that.`, source);
    }
    const theCase = await getCaseByCode(db, command.code);
    if (!theCase || theCase.org_id !== org.id || (theCase.state !== "claimed" && theCase.state !== "active")) {
      return reply(roomId, `Case ${command.code} is not held by ${org.shortName.en}.`, source);
    }
    const at = now();
    if (command.name === "transfer") {
      const target = await orgById(command.org);
      if (!target || target.id === org.id) {
        return reply(roomId, `No other organisation called "${command.org}". Write !help for the commands.`, source);
      }
      const transferred = await transferCase(db, {
        code: theCase.id,
        to: target,
        heldBy: org.id,
        actor: responder,
        at,
        canTake: (held) => deps.canTake(held, target.id),
      });
      if (!transferred.ok) {
        const why =
          transferred.reason === "cannot-take"
            ? `${target.shortName.en} ${transferred.detail}`
            : transferred.reason === "not-linked"
              ? `${target.shortName.en} has no queue room yet`
              : `case ${command.code} changed meanwhile`;
        return reply(roomId, `Not transferred: ${why}.`, source);
      }
      return reply(
        roomId,
        `Case ${command.code} is being transferred to ${target.shortName.en}; it stays with ${org.shortName.en} until they claim it.`,
        source,
      );
    }
    const to = command.name === "release" ? "waiting" : "closed";
    const moved = await moveCase(db, {
      code: theCase.id,
      to,
      actor: responder,
      at,
      orgId: to === "waiting" ? null : org.id,
      reason: command.name === "release" ? `released:${org.id}` : `closed:${org.id}`,
    });
    if (!moved.ok) return reply(roomId, `Case ${command.code} changed meanwhile; nothing done.`, source);
    return reply(
      roomId,
      command.name === "release"
        ? `Case ${command.code} released by ${org.shortName.en}; it goes back to routing.`
        : `Case ${command.code} closed by ${org.shortName.en}.`,
      source,
    );
  };

  const runCommand = async (command: StaffCommand, room: Room, sender: string, source: string): Promise<void> => {
    const org = await orgByQueueRoom(room.roomId);
    const inMonitorsRoom = room.roomId === deps.monitorsRoomId;
    switch (command.name) {
      case "help":
        return reply(room.roomId, staffHelp(), source);
      case "ack": {
        if (!inMonitorsRoom) return reply(room.roomId, "!ack works in the monitors' room.", source);
        const count = await ackAlertsForCase(db, command.code, sender, now());
        return reply(room.roomId, `Noted: ${sender} looked at case ${command.code} (${count} alert(s)).`, source);
      }
      case "claim":
        if (!org) return reply(room.roomId, "Cases are claimed in your organisation's queue room.", source);
        return claim(org, sender, command.code, undefined, room.roomId, source);
      case "cases": {
        if (!org) return reply(room.roomId, "!cases works in your organisation's queue room.", source);
        const mine = [...(await listCasesByState(db, "claimed")), ...(await listCasesByState(db, "active"))].filter(
          (c) => c.org_id === org.id,
        );
        const lines = mine.map((c) => `${c.id} — ${c.state}, since ${Math.floor((now() - c.updated_at) / 60_000)} min`);
        return reply(
          room.roomId,
          lines.length === 0 ? `${org.shortName.en} has no open cases.` : lines.join("\n"),
          source,
        );
      }
      case "release":
      case "close":
      case "transfer":
        if (!org) return reply(room.roomId, `!${command.name} works in your organisation's queue room.`, source);
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
    if (parsed.problem === "unknown-command") {
      return reply(room.roomId, `Unknown command !${parsed.name}. Write !help for the list.`, source);
    }
    return reply(room.roomId, `Usage: ${parsed.usage}`, source);
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
  const timer = setInterval(() => void tick(), deps.tickMs ?? 1_000);

  return {
    tick,
    async stop() {
      clearInterval(timer);
      stopInvites();
      await stream.stop();
      await running;
    },
  };
}
