import type { Logger } from "pino";
import { RoomEvent, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";

export interface Invite {
  room: Room;
  inviter: string | undefined;
  /** The invite event's content and the room's stripped state, as the inviter chose to share it. */
  isDirect: boolean;
}

export type InviteDecision = "join" | "reject";

/**
 * Answers every invite to this bot, the ones waiting at start and the ones that come later, with the
 * policy's decision. Returns a function that stops listening.
 */
export function answerInvites(
  client: MatrixClient,
  policy: (invite: Invite) => Promise<InviteDecision> | InviteDecision,
  logger: Logger,
): () => void {
  const me = client.getUserId();
  const answered = new Set<string>();
  const answer = async (room: Room): Promise<void> => {
    if (answered.has(room.roomId)) return;
    answered.add(room.roomId);
    const myMember = room.getMember(me ?? "");
    const inviteEvent: MatrixEvent | undefined = myMember?.events.member;
    const invite: Invite = {
      room,
      inviter: inviteEvent?.getSender(),
      isDirect: inviteEvent?.getContent<{ is_direct?: boolean }>().is_direct === true,
    };
    try {
      const decision = await policy(invite);
      if (decision === "join") await client.joinRoom(room.roomId);
      else await client.leave(room.roomId);
      logger.info({ roomId: room.roomId, decision }, "invite answered");
    } catch (error) {
      answered.delete(room.roomId);
      logger.warn({ roomId: room.roomId, err: error }, "could not answer invite");
    }
  };
  for (const room of client.getRooms()) if (room.getMyMembership() === "invite") void answer(room);
  const onMyMembership = (room: Room, membership: string): void => {
    if (membership === "invite") void answer(room);
  };
  client.on(RoomEvent.MyMembership, onMyMembership);
  return () => client.off(RoomEvent.MyMembership, onMyMembership);
}
