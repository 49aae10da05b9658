// An organisation's responders change while it holds cases (someone leaves the organisation, someone joins):
// the case rooms follow its current list. Removed responders are taken out at once, so nothing they write
// afterwards reaches her; added ones are invited. Read from the bot's own view of each room: no request per pass.
import { MsgType, type Room, type RoomMember } from "matrix-js-sdk";
import type { Case, RelayRoom } from "../core/db/schema.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { translate } from "../core/i18n/translate.ts";
import { localeOf, type BridgeContext } from "./context.ts";
import { relayTxnId } from "./relay-content.ts";

export interface ResponderReconciler {
  /** Relay mode: the org-side room's members become the organisation's current responders. */
  orgRoom(theCase: Case, org: Organisation, relay: RelayRoom): Promise<void>;
  /** Direct mode: the same in her room; she is told, in her language, when a counsellor is taken out. */
  herRoom(theCase: Case, org: Organisation): Promise<void>;
}

const present = (member: RoomMember): boolean => member.membership === "join" || member.membership === "invite";

export function responderReconciler(ctx: BridgeContext): ResponderReconciler {
  const { client, logger } = ctx;

  /** Never in the room, or taken out by the bot earlier (and listed again): invited. Who left by choice is not. */
  const mayInvite = (room: Room, userId: string): boolean => {
    const member = room.getMember(userId);
    if (member === null) return true;
    return member.membership === "leave" && member.events.member?.getSender() === ctx.botUserId;
  };

  const inviteAdded = async (room: Room, theCase: Case, org: Organisation): Promise<void> => {
    for (const responder of org.responders) {
      if (!mayInvite(room, responder)) continue;
      try {
        await client.invite(room.roomId, responder);
        logger.info({ caseId: theCase.id, orgId: org.id, roomId: room.roomId }, "added responder invited");
      } catch (error) {
        logger.warn({ caseId: theCase.id, orgId: org.id, err: error }, "could not invite an added responder yet");
      }
    }
  };

  /** Memberships already ended by a kick, until the bot's view of the room catches up (a pass can come first). */
  const kicked = new Set<string>();

  const kick = async (roomId: string, member: RoomMember, org: Organisation, caseId: string): Promise<boolean> => {
    const membership = member.events.member?.getId() ?? `${roomId}|${member.userId}`;
    if (kicked.has(membership)) return false;
    try {
      await client.kick(roomId, member.userId, `no longer a responder of ${org.shortName.en}`);
      kicked.add(membership);
      logger.info({ caseId, orgId: org.id, roomId }, "removed responder taken out of a case room");
      return true;
    } catch (error) {
      if (!(await stillIn(roomId, member.userId))) {
        kicked.add(membership);
        return true; // gone already (left, or taken out meanwhile): the same for her
      }
      logger.warn({ caseId, orgId: org.id, roomId, err: error }, "could not take a removed responder out yet");
      return false;
    }
  };

  /** Whether the server still has the user in the room (joined or invited); true when it cannot say. */
  const stillIn = async (roomId: string, userId: string): Promise<boolean> => {
    try {
      const state = await client.getStateEvent(roomId, "m.room.member", userId);
      return ["join", "invite"].includes(String(state["membership"]));
    } catch {
      return true;
    }
  };

  const orgRoom = async (theCase: Case, org: Organisation, relay: RelayRoom): Promise<void> => {
    const room = client.getRoom(relay.org_room_id);
    if (room === null) return;
    for (const member of room.getMembers()) {
      if (member.userId === ctx.botUserId || !present(member)) continue;
      if (!org.responders.includes(member.userId as never)) await kick(room.roomId, member, org, theCase.id);
    }
    // While the case is only claimed, setting up its room invites the responders.
    if (theCase.state === "active") await inviteAdded(room, theCase, org);
  };

  const herRoom = async (theCase: Case, org: Organisation): Promise<void> => {
    const room = theCase.survivor_room_id === null ? null : client.getRoom(theCase.survivor_room_id);
    if (room === null) return;
    for (const member of room.getMembers()) {
      if (member.userId === ctx.botUserId || member.userId === theCase.survivor_mxid || !present(member)) continue;
      if (org.responders.includes(member.userId as never)) continue;
      const wasJoined = member.membership === "join";
      const arrival = member.events.member?.getId() ?? member.userId;
      if (!(await kick(room.roomId, member, org, theCase.id)) || !wasJoined) continue;
      const locale = localeOf(theCase);
      await client.sendMessage(
        room.roomId,
        { msgtype: MsgType.Text, body: translate(locale, "bridge.counsellorLeft", { org: org.shortName[locale] }) },
        relayTxnId(arrival, "direct-left"),
      );
    }
    if (theCase.state === "active") await inviteAdded(room, theCase, org);
  };

  return { orgRoom, herRoom };
}
