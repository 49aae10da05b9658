// Relaying one event from one side of a case to the other, exactly once, with replies, edits, reactions and
// redactions pointed at the right copies.
import { EventStatus, EventType, MsgType, type MatrixEvent } from "matrix-js-sdk";
import type { Case, RelayRoom } from "../core/db/schema.ts";
import { getRelayedEvent, getRelayedEventByTarget, recordRelayedEvent } from "../core/db/repositories/relay.ts";
import { recordCaseMedia } from "../core/db/repositories/case-media.ts";
import { parseMxc, serverNameOf } from "../core/matrix/mxc.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { translate } from "../core/i18n/translate.ts";
import type { MessageKey } from "../core/i18n/catalogue.ts";
import { retryTransient } from "../core/matrix/retry-transient.ts";
import { relayMedia } from "./media/relay-media.ts";
import { readMediaMessage } from "./media/media-message.ts";
import { sizeText } from "./media/size-text.ts";
import { hasJoined, localeOf, type BridgeContext } from "./context.ts";
import {
  isStaffNote,
  orgToSurvivorText,
  relayTxnId,
  survivorToOrgText,
  unsupportedToOrgText,
} from "./relay-content.ts";
import { planRelay, stripUserIds, utf8Bytes, type RelayPlan } from "./relay-plan.ts";
import { exitWordsLocale } from "../core/i18n/exit-words.ts";

/** One direction of one case: from her room to the organisation's room, or back. */
export interface Leg {
  theCase: Case;
  org: Organisation;
  relay: RelayRoom;
  from: "survivor" | "org";
}

const sourceRoom = (leg: Leg): string =>
  leg.from === "survivor" ? leg.theCase.survivor_room_id! : leg.relay.org_room_id;
const targetRoom = (leg: Leg): string =>
  leg.from === "survivor" ? leg.relay.org_room_id : leg.theCase.survivor_room_id!;

/** Staff's words for the organisation's side (staff texts are English for now). */
const staffNotice = {
  undecryptable: "staff.relay.undecryptable",
  tooLong: "staff.relay.tooLong",
  mediaTooLarge: "staff.relay.mediaTooLarge",
  mediaNotRelayed: "staff.relay.mediaNotRelayed",
  unsupported: "staff.relay.unsupportedFromYou",
} as const satisfies Record<string, MessageKey>;

const survivorNotice = {
  undecryptable: "input.undecryptable",
  tooLong: "bridge.tooLong",
  mediaTooLarge: "bridge.mediaTooLarge",
  mediaNotRelayed: "bridge.mediaNotRelayed",
  unsupported: "bridge.unsupportedFromYou",
} as const satisfies Record<keyof typeof staffNotice, MessageKey>;

type Refusal = keyof typeof staffNotice;

export interface EventRelayer {
  /** Relays the event if it has not been relayed before. False when it must wait (she has not joined yet). */
  relay(leg: Leg, event: MatrixEvent, undecryptable: boolean): Promise<boolean>;
  /** Relays what the source room's timeline holds from `senders` and was not relayed yet, in order. */
  catchUp(leg: Leg, senders: readonly string[]): Promise<void>;
}

export function eventRelayer(ctx: BridgeContext, onUndecryptable: (leg: Leg) => Promise<void>): EventRelayer {
  const { client, db } = ctx;

  const record = async (leg: Leg, source: MatrixEvent, targetRoomId: string, targetEventId: string) => {
    await recordRelayedEvent(db, {
      source_event_id: source.getId()!,
      source_room_id: sourceRoom(leg),
      target_room_id: targetRoomId,
      target_event_id: targetEventId,
      case_id: leg.theCase.id,
      relayed_at: ctx.now(),
    });
    ctx.onRelayed?.({ from: leg.from, latencyMs: Math.max(0, ctx.now() - source.getTs()) });
  };

  /**
   * The media of a relayed file that live in the hub's media repository (her upload when she is on the hub, and
   * always the cleaned copy), recorded as soon as the copy is uploaded, so that retention deletes them in time.
   */
  const recordMedia = async (leg: Leg, uris: readonly unknown[]): Promise<void> => {
    const hub = serverNameOf(ctx.botUserId);
    const onHub = uris.map(parseMxc).filter((media) => media !== undefined && media.serverName === hub);
    await recordCaseMedia(
      db,
      onHub.map((media) => ({
        server_name: media!.serverName,
        media_id: media!.mediaId,
        case_id: leg.theCase.id,
        uploaded_at: ctx.now(),
      })),
    );
  };

  /** The event on the target side that corresponds to `eventId` on the source side, if any. */
  const mapAcross = async (leg: Leg, eventId: string): Promise<string | undefined> => {
    const target = targetRoom(leg);
    const forward = await getRelayedEvent(db, eventId);
    if (forward?.target_room_id === target) return forward.target_event_id;
    const backward = await getRelayedEventByTarget(db, eventId);
    if (backward?.source_room_id === target) return backward.source_event_id;
    return undefined;
  };

  /**
   * A failed attempt leaves its local echo behind under the txn ID, and the client refuses a second event with
   * that ID: the echo itself is sent again (still encrypted as it was). One that went through answers with its ID.
   */
  const retrying = (
    what: string,
    roomId: string,
    txnId: string,
    operation: () => Promise<{ event_id: string }>,
  ): Promise<{ event_id: string }> =>
    retryTransient(
      what,
      async () => {
        const room = client.getRoom(roomId);
        const echo = room?.getEventForTxnId(txnId);
        if (room === null || room === undefined || echo === undefined) return operation();
        if (echo.status === EventStatus.NOT_SENT) return client.resendEvent(echo, room);
        if (echo.status === null || echo.status === EventStatus.SENT) return { event_id: echo.getId()! };
        return operation();
      },
      { logger: ctx.logger, stopped: ctx.stopping },
    );

  /** Same transaction ID on every attempt: a send that reached the server before failing is not made twice. */
  const sendTo = async (roomId: string, type: string, content: Record<string, unknown>, txnId: string) =>
    (
      await retrying("relay send", roomId, txnId, () =>
        client.sendEvent(roomId, type as never, content as never, txnId),
      )
    ).event_id;

  /** Tells the sender what happened to her (or their) message, in the sender's language; recorded as done. */
  const tellSender = async (leg: Leg, event: MatrixEvent, what: Refusal): Promise<void> => {
    const locale = localeOf(leg.theCase);
    const body =
      leg.from === "org"
        ? translate(leg.org.staffLanguage, staffNotice[what])
        : what === "mediaTooLarge"
          ? translate(locale, survivorNotice[what], { size: sizeText(ctx.mediaMaxBytes) })
          : translate(locale, survivorNotice[what]);
    const room = sourceRoom(leg);
    const told = await sendTo(
      room,
      EventType.RoomMessage,
      { msgtype: MsgType.Notice, body },
      relayTxnId(event.getId()!, what),
    );
    await record(leg, event, room, told);
  };

  const textFor = (leg: Leg, body: string, emote: boolean): string => {
    if (leg.from === "survivor") {
      return survivorToOrgText(leg.org.staffLanguage, leg.theCase.id, { body: stripUserIds(body), emote });
    }
    const locale = localeOf(leg.theCase);
    const counsellor = translate(locale, "bridge.counsellor", { org: leg.org.shortName[locale] });
    return orgToSurvivorText(counsellor, { body: stripUserIds(body), emote });
  };

  const unsupportedText = (leg: Leg): string => {
    if (leg.from === "survivor") return unsupportedToOrgText(leg.org.staffLanguage, leg.theCase.id);
    const locale = localeOf(leg.theCase);
    return translate(locale, "bridge.unsupportedFromCounsellor", { org: leg.org.shortName[locale] });
  };

  /** The content to send for a plan, or what to tell the sender instead. */
  const copyOf = async (
    leg: Leg,
    plan: Exclude<RelayPlan, { kind: "redaction" }>,
  ): Promise<
    { type: string; content: Record<string, unknown>; caption?: string } | { refuse: Refusal } | undefined
  > => {
    switch (plan.kind) {
      case "message": {
        if (utf8Bytes(plan.body) > ctx.maxMessageBytes) return { refuse: "tooLong" };
        const replyTo = plan.replyTo === undefined ? undefined : await mapAcross(leg, plan.replyTo);
        const msgtype = plan.msgtype === "m.notice" ? MsgType.Notice : MsgType.Text;
        return {
          type: EventType.RoomMessage,
          content: {
            msgtype,
            body: textFor(leg, plan.body, plan.msgtype === "m.emote"),
            ...(replyTo !== undefined && { "m.relates_to": { "m.in_reply_to": { event_id: replyTo } } }),
          },
        };
      }
      case "edit": {
        if (utf8Bytes(plan.body) > ctx.maxMessageBytes) return { refuse: "tooLong" };
        const of = await mapAcross(leg, plan.of);
        if (of === undefined) return undefined;
        const body = textFor(leg, plan.body, plan.msgtype === "m.emote");
        const msgtype = plan.msgtype === "m.notice" ? MsgType.Notice : MsgType.Text;
        return {
          type: EventType.RoomMessage,
          content: {
            msgtype,
            body: `* ${body}`,
            "m.new_content": { msgtype, body },
            "m.relates_to": { rel_type: "m.replace", event_id: of },
          },
        };
      }
      case "reaction": {
        const of = await mapAcross(leg, plan.of);
        if (of === undefined) return undefined;
        return {
          type: EventType.Reaction,
          content: { "m.relates_to": { rel_type: "m.annotation", event_id: of, key: plan.key } },
        };
      }
      case "media": {
        const result = await relayMedia(
          { client, maxBytes: ctx.mediaMaxBytes, logger: ctx.logger },
          plan.content,
          plan.eventType,
        );
        if (!result.ok) return { refuse: result.reason === "too-large" ? "mediaTooLarge" : "mediaNotRelayed" };
        const copyFile = result.content["file"] as { url?: unknown } | undefined;
        await recordMedia(leg, [readMediaMessage(plan.eventType, plan.content)?.source.mxc, copyFile?.url]);
        const caption = result.caption === undefined ? undefined : textFor(leg, result.caption, false);
        return { type: EventType.RoomMessage, content: result.content, ...(caption !== undefined && { caption }) };
      }
      case "unsupported":
        return { type: EventType.RoomMessage, content: { msgtype: MsgType.Notice, body: unsupportedText(leg) } };
    }
  };

  const relay = async (leg: Leg, event: MatrixEvent, undecryptable: boolean): Promise<boolean> => {
    const sourceId = event.getId();
    if (sourceId === undefined || (await getRelayedEvent(db, sourceId))) return true;
    if (leg.from === "org" && !hasJoined(client, leg.theCase.survivor_room_id!, leg.theCase.survivor_mxid!)) {
      return false;
    }
    if (undecryptable || event.isDecryptionFailure()) {
      await tellSender(leg, event, "undecryptable");
      await onUndecryptable(leg);
      return true;
    }
    const read = planRelay(event.getType(), event.getContent(), event.event.redacts);
    if (read === undefined) return true;
    const plan = read;
    if (leg.from === "org" && plan.kind === "message" && isStaffNote(plan.body)) return true;
    // Her exit words ask Haven to erase everything (the intake bot answers them); they are not for the organisation.
    if (leg.from === "survivor" && plan.kind === "message" && exitWordsLocale(plan.body) !== undefined) return true;
    const target = targetRoom(leg);
    if (plan.kind === "redaction") {
      const of = await mapAcross(leg, plan.of);
      if (of === undefined) return true;
      const txnId = relayTxnId(sourceId);
      const { event_id: redaction } = await retrying("relay redaction", target, txnId, () =>
        client.redactEvent(target, of, txnId),
      );
      await record(leg, event, target, redaction);
      return true;
    }
    const copy = await copyOf(leg, plan);
    if (copy === undefined) return true;
    if ("refuse" in copy) {
      await tellSender(leg, event, copy.refuse);
      return true;
    }
    const copyId = await sendTo(target, copy.type, copy.content, relayTxnId(sourceId));
    if (copy.caption !== undefined) {
      await sendTo(
        target,
        EventType.RoomMessage,
        { msgtype: MsgType.Text, body: copy.caption },
        relayTxnId(sourceId, "caption"),
      );
    }
    await record(leg, event, target, copyId);
    if (plan.kind === "unsupported") await tellSender(leg, event, "unsupported");
    return true;
  };

  const catchUp = async (leg: Leg, senders: readonly string[]): Promise<void> => {
    const events = client.getRoom(sourceRoom(leg))?.getLiveTimeline().getEvents() ?? [];
    for (const event of events) {
      const sender = event.getSender();
      if (sender === undefined || !senders.includes(sender) || event.isState()) continue;
      await client.decryptEventIfNeeded(event);
      if (!(await relay(leg, event, false))) return;
    }
  };

  return { relay, catchUp };
}
