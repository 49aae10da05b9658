import type { Logger } from "pino";
import { RoomEvent, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";

export interface Invite {
  room: Room;
  inviter: string | undefined;
  /** The invite event's content and the room's stripped state, as the inviter chose to share it. */
  isDirect: boolean;
}

export type InviteDecision = "join" | "reject";

const maxAttempts = 5;
const retryDelayMs = 500;

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
  let stopped = false;
  const answer = async (room: Room, attempt = 1): Promise<void> => {
    if (stopped || (attempt === 1 && answered.has(room.roomId))) return;
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
      // An invite over federation can reach us before the inviting server has stored it, and that server then
      // refuses our join ("not invited"); it has it moments later. Try again a few times, then give up loudly.
      if (attempt < maxAttempts && room.getMyMembership() === "invite") {
        logger.info({ roomId: room.roomId, attempt, err: error }, "could not answer invite yet; retrying");
        setTimeout(() => void answer(room, attempt + 1), retryDelayMs * 2 ** (attempt - 1)).unref();
        return;
      }
      answered.delete(room.roomId);
      logger.warn({ roomId: room.roomId, err: error }, "could not answer invite");
    }
  };
  for (const room of client.getRooms()) if (room.getMyMembership() === "invite") void answer(room);
  const onMyMembership = (room: Room, membership: string): void => {
    if (membership === "invite") void answer(room);
  };
  client.on(RoomEvent.MyMembership, onMyMembership);
  return () => {
    stopped = true;
    client.off(RoomEvent.MyMembership, onMyMembership);
  };
}
