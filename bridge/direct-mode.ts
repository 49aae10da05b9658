// Direct mode (an organisation's choice): its responders are invited into her case room itself, and taken out
// again when the case leaves them. Nothing is relayed; she is told who joined.
import { MsgType } from "matrix-js-sdk";
import type { Case, DirectRoom } from "../core/db/schema.ts";
import { insertDirectRoom, markDirectRoomRemoved } from "../core/db/repositories/relay.ts";
import { moveCase } from "../core/db/case-transitions.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { translate } from "../core/i18n/translate.ts";
import { currentMembers, hasJoined, localeOf, type BridgeContext } from "./context.ts";
import { relayTxnId } from "./relay-content.ts";

export interface DirectMode {
  /** Invites the responders of the organisation that claimed the case into her room. Idempotent. */
  invite(theCase: Case, org: Organisation): Promise<void>;
  /** A responder joined her room (`joinEventId`): she is told, once per join, and the case becomes active. */
  onResponderJoined(theCase: Case, org: Organisation, joinEventId: string): Promise<void>;
  /** The case left the organisation: its responders are removed from her room and she is told why. */
  remove(direct: DirectRoom, theCase: Case, org: Organisation | undefined): Promise<void>;
}

export function directMode(ctx: BridgeContext): DirectMode {
  const { client, db, logger } = ctx;

  const invite = async (theCase: Case, org: Organisation): Promise<void> => {
    const roomId = theCase.survivor_room_id!;
    await insertDirectRoom(db, theCase.id, org.id, ctx.now());
    const present = await currentMembers(ctx, roomId);
    for (const responder of org.responders) {
      if (present.has(responder)) continue;
      try {
        await client.invite(roomId, responder);
        logger.info({ caseId: theCase.id, orgId: org.id }, "responder invited into her room (direct mode)");
      } catch (error) {
        logger.warn({ caseId: theCase.id, orgId: org.id, err: error }, "could not invite a responder yet; will retry");
      }
    }
  };

  const onResponderJoined = async (theCase: Case, org: Organisation, joinEventId: string): Promise<void> => {
    const locale = localeOf(theCase);
    await client.sendMessage(
      theCase.survivor_room_id!,
      { msgtype: MsgType.Text, body: translate(locale, "bridge.counsellorJoined", { org: org.shortName[locale] }) },
      // One per join: a second responder joining is news too (one transaction ID for both would clash).
      relayTxnId(joinEventId, "direct-joined"),
    );
    if (theCase.state !== "claimed") return;
    const moved = await moveCase(db, {
      code: theCase.id,
      to: "active",
      actor: ctx.botUserId,
      at: ctx.now(),
      reason: "direct-responder-joined",
    });
    if (moved.ok) logger.info({ caseId: theCase.id, orgId: org.id }, "direct mode active");
  };

  const remove = async (direct: DirectRoom, theCase: Case, org: Organisation | undefined): Promise<void> => {
    const roomId = theCase.survivor_room_id;
    if (roomId !== null) {
      if (theCase.state !== "erased" && hasJoined(client, roomId, theCase.survivor_mxid ?? "")) {
        const locale = localeOf(theCase);
        const body =
          theCase.state === "closed"
            ? translate(locale, "bridge.caseClosed", { code: theCase.id })
            : translate(locale, "bridge.caseMoving");
        await client.sendMessage(
          roomId,
          { msgtype: MsgType.Text, body },
          `direct-removed-${theCase.id}-${direct.org_id}`,
        );
      }
      const room = client.getRoom(roomId);
      for (const responder of org?.responders ?? []) {
        const membership = room?.getMember(responder)?.membership;
        if (membership !== "join" && membership !== "invite") continue;
        await client.kick(roomId, responder, theCase.state === "closed" ? "case closed" : "case moved");
      }
    }
    await markDirectRoomRemoved(db, direct.case_id, direct.org_id, ctx.now());
    logger.info({ caseId: theCase.id, orgId: direct.org_id, state: theCase.state }, "direct-mode responders removed");
  };

  return { invite, onResponderJoined, remove };
}
