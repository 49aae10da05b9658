// The org-side room of a case: made when an organisation claims the case, closed to its responders when the
// case leaves them (released, transferred, closed, erased).
import { EventType, MsgType, type Room } from "matrix-js-sdk";
import { tombstoneRoom } from "../core/matrix/tombstone.ts";
import { safeError } from "../core/log/safe-error.ts";
import type { Case, RelayRoom } from "../core/db/schema.ts";
import {
  getRelayRoom,
  insertRelayRoom,
  recordRelayedEvent,
  getRelayedEvent,
  retireRelayRoom,
} from "../core/db/repositories/relay.ts";
import { moveCase } from "../core/db/case-transitions.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { translate } from "../core/i18n/translate.ts";
import { currentMembers, hasJoined, localeOf, staffLocaleOf, type BridgeContext } from "./context.ts";
import { orgRoomOptions, relayStateType, type RelayStateContent } from "./org-room.ts";
import type { EventRelayer, Leg } from "./relay-event.ts";
import type { EarlierConversation } from "./earlier-conversation.ts";

export interface RelayRooms {
  /** Gives a claimed case its org-side room and, once a responder has joined, makes it active. Idempotent. */
  setUp(theCase: Case, org: Organisation): Promise<RelayRoom | undefined>;
  /** She has joined her case room: what the organisation wrote meanwhile reaches her, and she is told who has it. */
  onSurvivorJoined(theCase: Case, org: Organisation, relay: RelayRoom): Promise<void>;
  /** Closes the room to the organisation's responders, telling both sides why. Idempotent. */
  retire(relay: RelayRoom, theCase: Case): Promise<void>;
}

export function relayRooms(ctx: BridgeContext, relayer: EventRelayer, earlier: EarlierConversation): RelayRooms {
  const { client, db, logger } = ctx;

  /** A room made before a crash that kept it from being recorded: found by its relay state event. */
  const findUnrecordedRoom = (caseId: string, orgId: string): Room | undefined =>
    client.getRooms().find((room) => {
      if (room.getMyMembership() !== "join") return false;
      if (room.currentState.getStateEvents(EventType.RoomCreate, "")?.getSender() !== ctx.botUserId) return false;
      const relay = room.currentState.getStateEvents(relayStateType, "")?.getContent<Partial<RelayStateContent>>();
      return relay?.case_id === caseId && relay.org_id === orgId;
    });

  /** Rooms whose responders were all invited by this run (checked against the server once per run). */
  const invited = new Set<string>();

  const inviteResponders = async (roomId: string, org: Organisation): Promise<boolean> => {
    const present = await currentMembers(ctx, roomId);
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

  /** "<Org> counsellor has taken your case", once per organisation room, and only once she can read it. */
  const tellHerWhoHasIt = async (theCase: Case, org: Organisation, relay: RelayRoom): Promise<void> => {
    const marker = `bridge:taken:${relay.org_room_id}`;
    if (!hasJoined(client, theCase.survivor_room_id!, theCase.survivor_mxid!)) return;
    if (await getRelayedEvent(db, marker)) return;
    const locale = localeOf(theCase);
    const { event_id: told } = await client.sendMessage(
      theCase.survivor_room_id!,
      { msgtype: MsgType.Text, body: translate(locale, "bridge.caseTaken", { org: org.shortName[locale] }) },
      `bridge-taken-${theCase.id}-${org.id}`,
    );
    await recordRelayedEvent(db, {
      source_event_id: marker,
      source_room_id: relay.org_room_id,
      target_room_id: theCase.survivor_room_id!,
      target_event_id: told,
      case_id: theCase.id,
      relayed_at: ctx.now(),
    });
  };

  const setUp = async (theCase: Case, org: Organisation): Promise<RelayRoom | undefined> => {
    let relay = await getRelayRoom(db, theCase.id, org.id);
    if (relay === undefined) {
      const roomId =
        findUnrecordedRoom(theCase.id, org.id)?.roomId ??
        (
          await client.createRoom(
            orgRoomOptions({
              code: theCase.id,
              orgId: org.id,
              locale: org.staffLanguage,
              retentionMs: ctx.retentionMs,
            }),
          )
        ).room_id;
      await insertRelayRoom(db, { case_id: theCase.id, org_id: org.id, org_room_id: roomId, created_at: ctx.now() });
      relay = await getRelayRoom(db, theCase.id, org.id);
      if (relay === undefined) return undefined;
      logger.info({ caseId: theCase.id, orgId: org.id, roomId: relay.org_room_id }, "org-side room ready");
    }
    if (theCase.state !== "claimed" || relay.retired_at !== null) return relay;
    if (!invited.has(relay.org_room_id)) {
      if (!(await inviteResponders(relay.org_room_id, org))) return relay;
      invited.add(relay.org_room_id);
    }
    if (!org.responders.some((responder) => hasJoined(client, relay.org_room_id, responder))) return relay;
    // After a transfer she agreed to, the earlier text comes first, then what she wrote while it was moving.
    await earlier.passOn(theCase, org, relay);
    const leg: Leg = { theCase, org, relay, from: "survivor" };
    await relayer.catchUp(leg, [theCase.survivor_mxid!]);
    await tellHerWhoHasIt(theCase, org, relay);
    const moved = await moveCase(db, {
      code: theCase.id,
      to: "active",
      actor: ctx.botUserId,
      at: ctx.now(),
      reason: "relay-room-ready",
    });
    if (!moved.ok) logger.warn({ caseId: theCase.id, result: moved.reason }, "case did not become active");
    else logger.info({ caseId: theCase.id, orgId: org.id }, "relay active");
    return relay;
  };

  const onSurvivorJoined = async (theCase: Case, org: Organisation, relay: RelayRoom): Promise<void> => {
    await tellHerWhoHasIt(theCase, org, relay);
    await relayer.catchUp({ theCase, org, relay, from: "org" }, org.responders);
  };

  const retire = async (relay: RelayRoom, theCase: Case): Promise<void> => {
    const closed = theCase.state === "closed";
    const herRoom = theCase.survivor_room_id;
    const staffLocale = await staffLocaleOf(ctx, relay.org_id);
    if (theCase.state !== "erased") {
      const notice = translate(staffLocale, closed ? "staff.room.caseClosed" : "staff.room.caseMoved", {
        code: theCase.id,
      });
      await client.sendMessage(
        relay.org_room_id,
        { msgtype: MsgType.Notice, body: notice },
        `bridge-retire-${relay.org_room_id}`,
      );
      if (herRoom !== null && hasJoined(client, herRoom, theCase.survivor_mxid ?? "")) {
        const locale = localeOf(theCase);
        const body = closed
          ? translate(locale, "bridge.caseClosed", { code: theCase.id })
          : translate(locale, "bridge.caseMoving");
        await client.sendMessage(herRoom, { msgtype: MsgType.Text, body }, `bridge-retire-her-${relay.org_room_id}`);
      }
    }
    // While the responders are still in it, so that their servers, which Haven cannot purge, show it ended.
    await tombstoneRoom(
      client,
      relay.org_room_id,
      translate(staffLocale, "staff.room.tombstone", { code: theCase.id }),
    ).catch((error: unknown) => {
      // Not a reason to leave the responders in the room: the retention worker tombstones it again before deleting it.
      logger.warn({ caseId: theCase.id, err: safeError(error) }, "org-side room not tombstoned");
    });
    for (const member of await currentMembers(ctx, relay.org_room_id)) {
      if (member === ctx.botUserId) continue;
      await client.kick(relay.org_room_id, member, closed ? "case closed" : "case moved");
    }
    await retireRelayRoom(db, relay.org_room_id, ctx.now());
    logger.info({ caseId: theCase.id, orgId: relay.org_id, state: theCase.state }, "org-side room retired");
  };

  return { setUp, onSurvivorJoined, retire };
}
