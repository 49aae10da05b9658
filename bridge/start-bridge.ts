import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { EventType, MsgType, type MatrixEvent, type Room } from "matrix-js-sdk";
import type { BotClient } from "../core/matrix/bot-client.ts";
import { startRoomEventStream, type DeliveredEvent, type EventLedger } from "../core/matrix/room-event-stream.ts";
import type { Case, CaseState, Database, RelayRoom } from "../core/db/schema.ts";
import { getCaseByCode, getCaseBySurvivorRoom, listCasesByState } from "../core/db/repositories/cases.ts";
import { moveCase } from "../core/db/case-transitions.ts";
import {
  getRelayedEvent,
  getRelayRoom,
  getRelayRoomByOrgRoom,
  insertRelayRoom,
  recordRelayedEvent,
} from "../core/db/repositories/relay.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { translate } from "../core/i18n/translate.ts";
import { isLocale, type Locale } from "../core/i18n/locales.ts";
import { orgRoomOptions, relayStateType, type RelayStateContent } from "./org-room.ts";
import {
  isEdit,
  isStaffNote,
  orgToSurvivorText,
  readRelayable,
  relayTxnId,
  survivorToOrgText,
  unsupportedToOrgText,
} from "./relay-content.ts";

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
  now?: () => number;
  /** How often claimed cases are looked at. */
  tickMs?: number;
  decryptionWaitMs?: number;
}

export interface Bridge {
  /** Gives every claimed case its org-side room now (also what the timer does). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** States in which the accountable organisation (org_id) talks with her: claimed, active, or during a transfer. */
const relayingStates: readonly CaseState[] = ["claimed", "active", "offered"];

const membershipsThatCount = new Set(["join", "invite"]);

/**
 * Relay mode: for each case an organisation has claimed, an org-side room on the hub with the organisation's
 * responders; the survivor's messages appear there as "Case CODE: …" and the responders' replies appear in her
 * room as "<Org> counsellor: …". The organisation never learns her Matrix ID. Each event is relayed exactly
 * once and in order, also across restarts: copies carry a transaction ID derived from their source event, and
 * relay_events records what went where (ids only).
 */
export function startBridge(deps: BridgeDeps): Bridge {
  const { bot, db, logger } = deps;
  const client = bot.client;
  const now = deps.now ?? Date.now;

  /** Work on one case runs one task at a time: setting up its room and relaying its messages keep their order. */
  const caseQueues = new Map<string, Promise<void>>();
  const withCase = (caseId: string, task: () => Promise<void>): Promise<void> => {
    const next = (caseQueues.get(caseId) ?? Promise.resolve()).then(task);
    const settled = next.catch((error: unknown) => logger.error({ caseId, err: error }, "bridge task failed"));
    caseQueues.set(caseId, settled);
    return next;
  };

  const organisation = async (orgId: string): Promise<Organisation | undefined> =>
    (await deps.organisations()).find((org) => org.id === orgId);

  const localeOf = (theCase: Case): Locale => (isLocale(theCase.locale) ? theCase.locale : "en");

  const send = async (roomId: string, msgtype: MsgType, body: string, txnId: string): Promise<string> => {
    const { event_id: eventId } = await client.sendMessage(roomId, { msgtype, body } as never, txnId);
    return eventId;
  };

  /** A room made before a crash that kept it from being recorded: found by its relay state event. */
  const findUnrecordedRoom = (caseId: string, orgId: string): Room | undefined =>
    client.getRooms().find((room) => {
      if (room.getMyMembership() !== "join") return false;
      if (room.currentState.getStateEvents(EventType.RoomCreate, "")?.getSender() !== bot.userId) return false;
      const relay = room.currentState.getStateEvents(relayStateType, "")?.getContent<Partial<RelayStateContent>>();
      return relay?.case_id === caseId && relay.org_id === orgId;
    });

  /** Invites the responders who are not members yet; false when one could not be invited (tried again later). */
  const inviteResponders = async (roomId: string, org: Organisation): Promise<boolean> => {
    const { chunk } = await client.members(roomId);
    const present = new Set(
      (chunk ?? [])
        .filter((event) => membershipsThatCount.has(String(event.content?.["membership"])))
        .map((event) => event.state_key),
    );
    let everyone = true;
    for (const responder of org.responders) {
      if (present.has(responder)) continue;
      try {
        await client.invite(roomId, responder);
        logger.info({ roomId, orgId: org.id }, "responder invited");
      } catch (error) {
        everyone = false;
        logger.warn({ roomId, orgId: org.id, err: error }, "could not invite a responder yet; will retry");
      }
    }
    return everyone;
  };

  const survivorMessages = (roomId: string, survivor: string): MatrixEvent[] =>
    (client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter(
      (event) =>
        event.getSender() === survivor &&
        [EventType.RoomMessage, EventType.RoomMessageEncrypted, EventType.Sticker].includes(
          event.getType() as EventType,
        ),
    );

  /** Records a copy; the source stays "relayed" even when the copy's send succeeded twice (same txn: one event). */
  const record = async (
    source: MatrixEvent,
    sourceRoomId: string,
    targetRoomId: string,
    targetEventId: string,
    caseId: string,
  ) => {
    await recordRelayedEvent(db, {
      source_event_id: source.getId()!,
      source_room_id: sourceRoomId,
      target_room_id: targetRoomId,
      target_event_id: targetEventId,
      case_id: caseId,
      relayed_at: now(),
    });
  };

  /** Her message, into the org-side room. Runs inside the case's queue. */
  const relayFromSurvivor = async (
    theCase: Case,
    relay: RelayRoom,
    event: MatrixEvent,
    undecryptable: boolean,
  ): Promise<void> => {
    const sourceId = event.getId();
    const survivorRoomId = theCase.survivor_room_id;
    if (sourceId === undefined || survivorRoomId === null || (await getRelayedEvent(db, sourceId))) return;
    const locale = localeOf(theCase);
    if (undecryptable || event.isDecryptionFailure()) {
      const told = await send(
        survivorRoomId,
        MsgType.Notice,
        translate(locale, "input.undecryptable"),
        relayTxnId(sourceId, "undecryptable"),
      );
      return record(event, survivorRoomId, survivorRoomId, told, theCase.id);
    }
    const content = readRelayable(event.getType(), event.getContent());
    if (content === undefined || isEdit(event.getContent())) return;
    if (content.kind === "text") {
      const copy = await send(
        relay.org_room_id,
        MsgType.Text,
        survivorToOrgText(theCase.id, content),
        relayTxnId(sourceId),
      );
      return record(event, survivorRoomId, relay.org_room_id, copy, theCase.id);
    }
    const copy = await send(relay.org_room_id, MsgType.Notice, unsupportedToOrgText(theCase.id), relayTxnId(sourceId));
    await send(
      survivorRoomId,
      MsgType.Notice,
      translate(locale, "bridge.unsupportedFromYou"),
      relayTxnId(sourceId, "told"),
    );
    return record(event, survivorRoomId, relay.org_room_id, copy, theCase.id);
  };

  /** A responder's message, into her room. Runs inside the case's queue. */
  const relayFromResponder = async (
    theCase: Case,
    org: Organisation,
    relay: RelayRoom,
    event: MatrixEvent,
    undecryptable: boolean,
  ): Promise<void> => {
    const sourceId = event.getId();
    const survivorRoomId = theCase.survivor_room_id;
    if (sourceId === undefined || survivorRoomId === null || (await getRelayedEvent(db, sourceId))) return;
    if (undecryptable || event.isDecryptionFailure()) {
      const told = await send(
        relay.org_room_id,
        MsgType.Notice,
        "The bridge could not decrypt your last message, so it was not relayed. Please send it again.",
        relayTxnId(sourceId, "undecryptable"),
      );
      return record(event, relay.org_room_id, relay.org_room_id, told, theCase.id);
    }
    const content = readRelayable(event.getType(), event.getContent());
    if (content === undefined || isEdit(event.getContent())) return;
    if (content.kind === "text" && isStaffNote(content.body)) return;
    const locale = localeOf(theCase);
    const counsellor = translate(locale, "bridge.counsellor", { org: org.shortName[locale] });
    const body =
      content.kind === "text"
        ? orgToSurvivorText(counsellor, content)
        : translate(locale, "bridge.unsupportedFromCounsellor", { org: org.shortName[locale] });
    const copy = await send(
      survivorRoomId,
      content.kind === "text" ? MsgType.Text : MsgType.Notice,
      body,
      relayTxnId(sourceId),
    );
    return record(event, relay.org_room_id, survivorRoomId, copy, theCase.id);
  };

  /** Rooms whose responders were all invited by this run (checked against the server once per run). */
  const invited = new Set<string>();

  const responderJoined = (roomId: string, org: Organisation): boolean => {
    const room = client.getRoom(roomId);
    return org.responders.some((responder) => room?.getMember(responder)?.membership === "join");
  };

  /**
   * Gives a claimed case its org-side room: made (or found again), recorded, responders invited. Once a responder
   * has joined (history is visible to a member only from her join, so nothing is relayed before), what she wrote
   * meanwhile is relayed, she is told who has her case, and the case becomes `active`. Each step is safe to
   * repeat, so a crash anywhere only means the next pass finishes the job. Runs inside the case's queue.
   */
  const setUpRelay = async (theCase: Case): Promise<RelayRoom | undefined> => {
    if (theCase.org_id === null || theCase.survivor_room_id === null || theCase.survivor_mxid === null) return;
    const org = await organisation(theCase.org_id);
    if (org === undefined) {
      logger.error({ caseId: theCase.id, orgId: theCase.org_id }, "case held by an unknown organisation");
      return;
    }
    if (org.routingMode !== "relay") return;
    let relay = await getRelayRoom(db, theCase.id, org.id);
    if (relay === undefined) {
      const roomId =
        findUnrecordedRoom(theCase.id, org.id)?.roomId ??
        (await client.createRoom(orgRoomOptions({ code: theCase.id, orgId: org.id, retentionMs: deps.retentionMs })))
          .room_id;
      await insertRelayRoom(db, { case_id: theCase.id, org_id: org.id, org_room_id: roomId, created_at: now() });
      relay = await getRelayRoom(db, theCase.id, org.id);
      if (relay === undefined) return;
      logger.info({ caseId: theCase.id, orgId: org.id, roomId: relay.org_room_id }, "org-side room ready");
    }
    if (theCase.state !== "claimed") return relay;
    if (!invited.has(relay.org_room_id)) {
      if (!(await inviteResponders(relay.org_room_id, org))) return relay;
      invited.add(relay.org_room_id);
    }
    if (!responderJoined(relay.org_room_id, org)) return relay;
    for (const event of survivorMessages(theCase.survivor_room_id, theCase.survivor_mxid)) {
      await client.decryptEventIfNeeded(event);
      await relayFromSurvivor(theCase, relay, event, false);
    }
    const locale = localeOf(theCase);
    await send(
      theCase.survivor_room_id,
      MsgType.Text,
      translate(locale, "bridge.caseTaken", { org: org.shortName[locale] }),
      `bridge-taken-${theCase.id}-${org.id}`,
    );
    const moved = await moveCase(db, {
      code: theCase.id,
      to: "active",
      actor: bot.userId,
      at: now(),
      reason: "relay-room-ready",
    });
    if (!moved.ok) logger.warn({ caseId: theCase.id, result: moved.reason }, "case did not become active");
    else logger.info({ caseId: theCase.id, orgId: org.id }, "relay active");
    return relay;
  };

  /** The case as it is now, if its accountable organisation is talking with her through this bridge. */
  const relayingCase = async (caseId: string): Promise<Case | undefined> => {
    const theCase = await getCaseByCode(db, caseId);
    return theCase && theCase.org_id !== null && relayingStates.includes(theCase.state) ? theCase : undefined;
  };

  /** Sets up (or finishes setting up) the case's org-side room if the case is still claimed. */
  const setUpIfClaimed = (caseId: string): Promise<void> =>
    withCase(caseId, async () => {
      const current = await getCaseByCode(db, caseId);
      if (current?.state === "claimed") await setUpRelay(current);
    });

  /** Her messages are relayed once the case is active; while it is claimed, activation relays them in order. */
  const onSurvivorRoomEvent = (found: Case, event: MatrixEvent, undecryptable: boolean): Promise<void> =>
    withCase(found.id, async () => {
      const theCase = await relayingCase(found.id);
      if (theCase === undefined) return;
      if (theCase.state === "claimed") {
        await setUpRelay(theCase);
        return;
      }
      const relay = await getRelayRoom(db, theCase.id, theCase.org_id!);
      if (relay !== undefined) await relayFromSurvivor(theCase, relay, event, undecryptable);
    });

  const onOrgRoomEvent = (relay: RelayRoom, event: MatrixEvent, undecryptable: boolean): Promise<void> =>
    withCase(relay.case_id, async () => {
      const theCase = await relayingCase(relay.case_id);
      if (theCase?.org_id !== relay.org_id) return;
      const org = await organisation(relay.org_id);
      const sender = event.getSender();
      if (org === undefined || sender === undefined || !org.responders.includes(sender as never)) return;
      if (event.getType() === (EventType.RoomMember as string)) {
        if (theCase.state === "claimed") await setUpRelay(theCase);
        return;
      }
      if (event.isState()) return;
      await relayFromResponder(theCase, org, relay, event, undecryptable);
    });

  const handler = async ({ event, room, undecryptable }: DeliveredEvent): Promise<void> => {
    const sender = event.getSender();
    if (sender === undefined || sender === bot.userId) return;
    const theCase = await getCaseBySurvivorRoom(db, room.roomId);
    if (theCase !== undefined) {
      if (sender === theCase.survivor_mxid && !event.isState()) {
        await onSurvivorRoomEvent(theCase, event, undecryptable);
      }
      return;
    }
    const relay = await getRelayRoomByOrgRoom(db, room.roomId);
    if (relay !== undefined) await onOrgRoomEvent(relay, event, undecryptable);
  };

  let running: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => {
    running = running.then(async () => {
      try {
        for (const theCase of await listCasesByState(db, "claimed")) {
          await setUpIfClaimed(theCase.id).catch(() => undefined);
        }
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
  });
  const timer = setInterval(() => void tick(), deps.tickMs ?? 1_000);

  return {
    tick,
    async stop() {
      clearInterval(timer);
      await stream.stop();
      await running;
      await Promise.all(caseQueues.values());
    },
  };
}
