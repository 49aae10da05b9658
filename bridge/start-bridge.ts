import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { EventType, type MatrixEvent } from "matrix-js-sdk";
import type { BotClient } from "../core/matrix/bot-client.ts";
import { startRoomEventStream, type DeliveredEvent, type EventLedger } from "../core/matrix/room-event-stream.ts";
import type { Case, CaseState, Database, RelayRoom } from "../core/db/schema.ts";
import { getCaseByCode, getCaseBySurvivorRoom, listCasesByState } from "../core/db/repositories/cases.ts";
import {
  getRelayHalt,
  getRelayRoom,
  getRelayRoomByOrgRoom,
  haltRelay,
  listActiveDirectRooms,
  listActiveRelayRooms,
} from "../core/db/repositories/relay.ts";
import { insertAlert } from "../core/db/repositories/alerts.ts";
import { moveCase } from "../core/db/case-transitions.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import type { BridgeContext } from "./context.ts";
import { eventRelayer, type Leg } from "./relay-event.ts";
import { relayRooms } from "./relay-rooms.ts";
import { directMode } from "./direct-mode.ts";
import { survivorCommand, staffCommand } from "./commands.ts";
import { earlierConversation } from "./earlier-conversation.ts";
import { responderReconciler } from "./reconcile-responders.ts";
import { relaySignals } from "./signals.ts";

export interface BridgeDeps {
  /** The intake bot's client: creator and admin of every survivor case room. */
  bot: BotClient;
  db: Kysely<Database>;
  /** The bridge's own progress through the rooms: not the intake bot's ledger (see databaseEventLedger). */
  ledger: EventLedger;
  logger: Logger;
  organisations: () => Promise<readonly Organisation[]>;
  /** `m.room.retention` max_lifetime of every org-side room. */
  retentionMs: number;
  /** Longest text relayed, in UTF-8 bytes (default 16 KiB). */
  maxMessageBytes?: number;
  /** Largest attachment relayed, in bytes (default 25 MiB). */
  mediaMaxBytes?: number;
  now?: () => number;
  /** How often claimed cases are looked at. */
  tickMs?: number;
  decryptionWaitMs?: number;
  /** Called when its event stream cannot go on without losing events (the disk is full); the process stops. */
  onFatal?: (error: unknown) => void;
  /** Told of each relayed event (direction and latency only), for the admin API's metrics. */
  onRelayed?: BridgeContext["onRelayed"];
  /** Show the other side, as the bot, that someone is typing (default true). */
  relayTyping?: boolean;
  /** Show the other side, as the bot, that a relayed message was read (default true). */
  relayReceipts?: boolean;
}

export interface Bridge {
  /** Sets up rooms of claimed cases and retires rooms of cases that left their organisation (also the timer's job). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** States in which the accountable organisation (org_id) talks with her. */
const relayingStates: readonly CaseState[] = ["claimed", "active"];
const arrivals = new Set(["join", "invite"]);

/**
 * Relay mode: for each case an organisation has claimed, an org-side room on the hub with the organisation's
 * responders; the survivor's messages appear there as "Case CODE: …" and the responders' replies appear in her
 * room as "<Org> counsellor: …", with replies, edits, reactions and redactions mapped to the copies. The
 * organisation never learns her Matrix ID. Each event is relayed exactly once and in order, also across
 * restarts: copies carry a transaction ID derived from their source event, and relay_events records what went
 * where (ids only). Anyone unexpected in a case's rooms stops its relay and alerts the review team.
 */
export function startBridge(deps: BridgeDeps): Bridge {
  const { bot, db, logger } = deps;
  const client = bot.client;
  const now = deps.now ?? Date.now;
  const organisation = async (orgId: string): Promise<Organisation | undefined> =>
    (await deps.organisations()).find((org) => org.id === orgId);
  let stopping = false;
  const ctx: BridgeContext = {
    stopping: () => stopping,
    client,
    botUserId: bot.userId,
    db,
    logger,
    now,
    organisation,
    retentionMs: deps.retentionMs,
    maxMessageBytes: deps.maxMessageBytes ?? 16 * 1024,
    mediaMaxBytes: deps.mediaMaxBytes ?? 25 * 1024 * 1024,
    onRelayed: deps.onRelayed,
  };
  const alert = async (kind: string, caseId: string, orgId: string | null): Promise<void> => {
    await insertAlert(db, {
      kind,
      case_id: caseId,
      org_id: orgId,
      at: now(),
      event_id: null,
      acked_by: null,
      acked_at: null,
    });
    logger.warn({ alert: kind, caseCode: caseId, orgId }, "alert raised");
  };
  const relayer = eventRelayer(ctx, (leg) => alert("undecryptable", leg.theCase.id, leg.org.id));
  const earlier = earlierConversation(ctx);
  const rooms = relayRooms(ctx, relayer, earlier);
  const direct = directMode(ctx);
  const reconcile = responderReconciler(ctx);

  /** Work on one case runs one task at a time: setting up its room and relaying its messages keep their order. */
  const caseQueues = new Map<string, Promise<void>>();
  const withCase = (caseId: string, task: () => Promise<void>): Promise<void> => {
    const next = (caseQueues.get(caseId) ?? Promise.resolve()).then(task);
    const settled = next.catch((error: unknown) => logger.error({ caseId, err: error }, "bridge task failed"));
    caseQueues.set(caseId, settled);
    return next;
  };

  /** The case and the organisation that holds it (claimed or active), unless its relay was stopped. */
  const holding = async (caseId: string): Promise<{ theCase: Case; org: Organisation } | undefined> => {
    const theCase = await getCaseByCode(db, caseId);
    if (theCase?.org_id == null || !relayingStates.includes(theCase.state)) return undefined;
    if (theCase.survivor_room_id === null || theCase.survivor_mxid === null) return undefined;
    if (await getRelayHalt(db, caseId)) return undefined;
    const org = await organisation(theCase.org_id);
    if (org === undefined) {
      logger.error({ caseId, orgId: theCase.org_id }, "case held by an unknown organisation");
      return undefined;
    }
    return { theCase, org };
  };

  /** The same, if that organisation talks with her through an org-side room (relay mode). */
  const relaying = async (caseId: string): Promise<{ theCase: Case; org: Organisation } | undefined> => {
    const held = await holding(caseId);
    return held?.org.routingMode === "relay" ? held : undefined;
  };

  const setUpIfClaimed = (caseId: string): Promise<void> =>
    withCase(caseId, async () => {
      const found = await holding(caseId);
      if (found?.theCase.state !== "claimed") return;
      if (found.org.routingMode === "direct") await direct.invite(found.theCase, found.org);
      else await rooms.setUp(found.theCase, found.org);
    });

  const close = async (theCase: Case, actor: string, reason: string): Promise<void> => {
    const moved = await moveCase(db, { code: theCase.id, to: "closed", actor, at: now(), reason });
    if (!moved.ok) logger.warn({ caseId: theCase.id, result: moved.reason }, "case could not be closed");
    const relay = theCase.org_id === null ? undefined : await getRelayRoom(db, theCase.id, theCase.org_id);
    if (moved.ok && relay !== undefined) await rooms.retire(relay, moved.case);
  };

  /** Someone who does not belong appeared in one of the case's rooms: stop, and tell the review team. */
  const guard = async (
    theCase: Case,
    roomId: string,
    event: MatrixEvent,
    expected: readonly string[],
  ): Promise<boolean> => {
    if (event.getType() !== (EventType.RoomMember as string)) return false;
    const member = event.getStateKey();
    if (member === undefined || !arrivals.has(String(event.getContent()["membership"]))) return false;
    if (member === bot.userId || expected.includes(member)) return false;
    if (await haltRelay(db, { case_id: theCase.id, room_id: roomId, reason: "unexpected-member", at: now() })) {
      logger.error({ caseId: theCase.id, roomId }, "unexpected member in a case room: relay stopped");
      await alert("relay-halted", theCase.id, theCase.org_id);
    }
    return true;
  };

  /** Her answer to "may the new organisation read the earlier conversation?": never relayed as a message. */
  const answeredAboutEarlierText = async (caseId: string, event: MatrixEvent): Promise<boolean> => {
    const current = await getCaseByCode(db, caseId);
    if (current === undefined || (await getRelayHalt(db, caseId)) || !(await earlier.takeAnswer(current, event))) {
      return false;
    }
    const held = await relaying(caseId);
    const relay = held === undefined ? undefined : await getRelayRoom(db, caseId, held.org.id);
    if (held !== undefined && relay?.retired_at === null) await earlier.passOn(held.theCase, held.org, relay);
    return true;
  };

  const onSurvivorRoomEvent = (found: Case, event: MatrixEvent, undecryptable: boolean): Promise<void> =>
    withCase(found.id, async () => {
      const held = await holding(found.id);
      const directResponders = held?.org.routingMode === "direct" ? held.org.responders : [];
      if (await guard(found, found.survivor_room_id!, event, [found.survivor_mxid!, ...directResponders])) return;
      if (event.getSender() === found.survivor_mxid && (await answeredAboutEarlierText(found.id, event))) return;
      if (held === undefined) return;
      const { theCase, org } = held;
      const sender = event.getSender()!;
      if (directResponders.includes(sender as never)) {
        if (event.getType() === (EventType.RoomMember as string) && event.getContent()["membership"] === "join") {
          await direct.onResponderJoined(theCase, org, event.getId()!);
        } else if (!event.isState() && staffCommand(event) === "close") {
          await close(theCase, sender, `closed:${org.id}`);
        }
        return;
      }
      if (sender !== theCase.survivor_mxid) return;
      if (!event.isState() && survivorCommand(event) === "close") {
        return close(theCase, sender, "closed-by-survivor");
      }
      if (org.routingMode !== "relay") return;
      if (event.getType() === (EventType.RoomMember as string)) {
        const relay = await getRelayRoom(db, theCase.id, org.id);
        if (theCase.state === "active" && relay !== undefined && event.getContent()["membership"] === "join") {
          await rooms.onSurvivorJoined(theCase, org, relay);
        }
        return;
      }
      if (event.isState() || survivorCommand(event) !== undefined) return; // exit belongs to the intake bot
      if (theCase.state === "claimed") {
        await rooms.setUp(theCase, org);
        return;
      }
      const relay = await getRelayRoom(db, theCase.id, org.id);
      if (relay !== undefined) await relayer.relay({ theCase, org, relay, from: "survivor" }, event, undecryptable);
    });

  const onOrgRoomEvent = (relay: RelayRoom, event: MatrixEvent, undecryptable: boolean): Promise<void> =>
    withCase(relay.case_id, async () => {
      const held = await getCaseByCode(db, relay.case_id);
      const holder = relay.org_id === held?.org_id ? await organisation(relay.org_id) : undefined;
      if (held === undefined) return;
      if (relay.retired_at === null && (await guard(held, relay.org_room_id, event, holder?.responders ?? []))) return;
      const current = await relaying(relay.case_id);
      if (current === undefined || current.org.id !== relay.org_id) return;
      const { theCase, org } = current;
      const sender = event.getSender();
      if (sender === undefined || !org.responders.includes(sender as never)) return;
      if (event.getType() === (EventType.RoomMember as string)) {
        if (theCase.state === "claimed") await rooms.setUp(theCase, org);
        return;
      }
      if (event.isState()) return;
      const command = staffCommand(event);
      if (command === "close") return close(theCase, sender, `closed:${org.id}`);
      const leg: Leg = { theCase, org, relay, from: "org" };
      await relayer.relay(leg, event, undecryptable);
    });

  const handler = async ({ event, room, undecryptable }: DeliveredEvent): Promise<void> => {
    const sender = event.getSender();
    // Memberships count whoever sent them: a server admin can act through the bot's own power.
    if (sender === undefined || (sender === bot.userId && event.getType() !== (EventType.RoomMember as string))) return;
    const theCase = await getCaseBySurvivorRoom(db, room.roomId);
    if (theCase !== undefined) return onSurvivorRoomEvent(theCase, event, undecryptable);
    const relay = await getRelayRoomByOrgRoom(db, room.roomId);
    if (relay !== undefined) await onOrgRoomEvent(relay, event, undecryptable);
  };

  /** Direct-mode responders whose organisation no longer holds the case: taken out of her room. */
  const removeLeftResponders = async (): Promise<void> => {
    for (const entry of await listActiveDirectRooms(db)) {
      const theCase = await getCaseByCode(db, entry.case_id);
      if (theCase === undefined) continue;
      if (theCase.org_id === entry.org_id && relayingStates.includes(theCase.state)) continue;
      await withCase(theCase.id, async () => {
        const current = await getCaseByCode(db, entry.case_id);
        if (current === undefined || (current.org_id === entry.org_id && relayingStates.includes(current.state)))
          return;
        await direct.remove(entry, current, await organisation(entry.org_id));
      }).catch(() => undefined);
    }
  };

  /** Org-side rooms whose case has left their organisation (or stopped): closed to its responders. */
  const retireLeftRooms = async (): Promise<void> => {
    for (const relay of await listActiveRelayRooms(db)) {
      const theCase = await getCaseByCode(db, relay.case_id);
      if (theCase === undefined) continue;
      const stillHeld = theCase.org_id === relay.org_id && relayingStates.includes(theCase.state);
      if (stillHeld) continue;
      await withCase(theCase.id, async () => {
        const current = await getCaseByCode(db, relay.case_id);
        const fresh = await getRelayRoomByOrgRoom(db, relay.org_room_id);
        if (current === undefined || fresh?.retired_at !== null) return;
        if (current.org_id === relay.org_id && relayingStates.includes(current.state)) return;
        await rooms.retire(fresh, current);
      }).catch(() => undefined);
    }
  };

  /** Transferred cases: she is asked whether the earlier conversation may go to the new organisation. */
  const askAboutEarlierText = async (): Promise<void> => {
    for (const theCase of [...(await listCasesByState(db, "offered")), ...(await listCasesByState(db, "claimed"))]) {
      await withCase(theCase.id, async () => {
        const current = await getCaseByCode(db, theCase.id);
        if (current !== undefined && !(await getRelayHalt(db, current.id))) await earlier.askIfTransferred(current);
      }).catch(() => undefined);
    }
  };

  /** Like `holding`, without logging every pass about a case whose organisation was deleted. */
  const heldBy = async (caseId: string, orgId: string): Promise<{ theCase: Case; org: Organisation } | undefined> => {
    const theCase = await getCaseByCode(db, caseId);
    if (theCase?.org_id !== orgId || !relayingStates.includes(theCase.state)) return undefined;
    return (await organisation(orgId)) === undefined ? undefined : holding(caseId);
  };

  /** Case rooms follow their organisation's current responders (someone removed mid-case is taken out). */
  const reconcileResponders = async (): Promise<void> => {
    for (const relay of await listActiveRelayRooms(db)) {
      await withCase(relay.case_id, async () => {
        const held = await heldBy(relay.case_id, relay.org_id);
        if (held?.org.id !== relay.org_id || held.org.routingMode !== "relay") return;
        await reconcile.orgRoom(held.theCase, held.org, relay);
      }).catch(() => undefined);
    }
    for (const entry of await listActiveDirectRooms(db)) {
      await withCase(entry.case_id, async () => {
        const held = await heldBy(entry.case_id, entry.org_id);
        if (held?.org.id !== entry.org_id || held.org.routingMode !== "direct") return;
        await reconcile.herRoom(held.theCase, held.org);
      }).catch(() => undefined);
    }
  };

  let running: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => {
    running = running.then(async () => {
      try {
        for (const theCase of await listCasesByState(db, "claimed")) {
          await setUpIfClaimed(theCase.id).catch(() => undefined);
        }
        await retireLeftRooms();
        await removeLeftResponders();
        await askAboutEarlierText();
        await reconcileResponders();
      } catch (error) {
        logger.error({ err: error }, "bridge pass failed");
      }
    });
    return running;
  };

  const stream = startRoomEventStream({
    client,
    ledger: deps.ledger,
    handler,
    logger,
    ...(deps.decryptionWaitMs !== undefined && { decryptionWaitMs: deps.decryptionWaitMs }),
    ...(deps.onFatal && { onFatal: deps.onFatal }),
  });
  const timer = setInterval(() => void tick(), deps.tickMs ?? 1_000);
  const signals = relaySignals(ctx, relaying, {
    relayTyping: deps.relayTyping ?? true,
    relayReceipts: deps.relayReceipts ?? true,
  });

  return {
    tick,
    async stop() {
      stopping = true;
      clearInterval(timer);
      signals.stop();
      await stream.stop();
      await running;
      await Promise.all(caseQueues.values());
    },
  };
}
