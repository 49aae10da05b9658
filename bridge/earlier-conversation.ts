// On a transfer, the earlier conversation goes to the new organisation only if she agrees: she is asked in her
// language once per transfer; if she says yes, the new organisation's room gets the text of what was relayed
// between her and the earlier organisations, read back from those rooms on Matrix (Haven never stores it).
import { Direction, EventType, MsgType, type MatrixEvent } from "matrix-js-sdk";
import type { Case, RelayRoom } from "../core/db/schema.ts";
import { listCaseHistory } from "../core/db/repositories/case-history.ts";
import { getRelayedEvent, listRelayedEventsForCase, recordRelayedEvent } from "../core/db/repositories/relay.ts";
import { listRelayRoomsOfCase } from "../core/db/repositories/retention.ts";
import {
  answerEarlierConversationQuestion,
  latestEarlierConversationQuestion,
  markEarlierConversationPassed,
  recordEarlierConversationQuestion,
} from "../core/db/repositories/earlier-conversation.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { translate } from "../core/i18n/translate.ts";
import { locales, type Locale } from "../core/i18n/locales.ts";
import { hasJoined, localeOf, type BridgeContext } from "./context.ts";
import {
  earlierConversationAnswer,
  earlierConversationNotices,
  transferOf,
  type EarlierLine,
} from "./earlier-conversation-text.ts";
import { readRelayable, relayTxnId } from "./relay-content.ts";
import { stripUserIds } from "./relay-plan.ts";

export interface EarlierConversation {
  /** Asks her, once per transfer, whether the organisation her case is going to may read the earlier text. */
  askIfTransferred(theCase: Case): Promise<void>;
  /** Takes her answer to the open question (recorded, acknowledged). True when the message was that answer. */
  takeAnswer(theCase: Case, event: MatrixEvent): Promise<boolean>;
  /** If she agreed for this organisation, posts the earlier text in its room once a responder is there. Idempotent. */
  passOn(theCase: Case, org: Organisation, relay: RelayRoom): Promise<void>;
}

const pageSize = 100;
const maxPages = 100;

export function earlierConversation(ctx: BridgeContext): EarlierConversation {
  const { client, db, logger } = ctx;

  /** Earlier org-side rooms of the case (relay mode), oldest first, other than `except`. */
  const earlierRooms = async (theCase: Case, except?: string): Promise<RelayRoom[]> =>
    (await listRelayRoomsOfCase(db, theCase.id)).filter(
      (room) => room.retired_at !== null && room.org_room_id !== except,
    );

  const askIfTransferred = async (theCase: Case): Promise<void> => {
    const herRoom = theCase.survivor_room_id;
    if (herRoom === null || !hasJoined(client, herRoom, theCase.survivor_mxid ?? "")) return;
    const entry = (await listCaseHistory(db, theCase.id)).findLast((e) => e.to_state === "offered");
    const transfer = entry === undefined ? undefined : transferOf(entry);
    if (entry === undefined || transfer === undefined) return;
    if (theCase.org_id !== null && theCase.org_id !== transfer.to) return;
    if ((await latestEarlierConversationQuestion(db, theCase.id))?.transfer_id === entry.id) return;
    const to = await ctx.organisation(transfer.to);
    // Direct mode has no room of its own to put the text in; the text only ever goes to an org-side room.
    if (to?.routingMode !== "relay" || (await earlierRooms(theCase)).length === 0) return;
    const locale = localeOf(theCase);
    await client.sendMessage(
      herRoom,
      { msgtype: MsgType.Text, body: translate(locale, "bridge.earlierQuestion", { org: to.shortName[locale] }) },
      `bridge-earlier-ask-${theCase.id}-${entry.id}`,
    );
    await recordEarlierConversationQuestion(db, {
      case_id: theCase.id,
      transfer_id: entry.id,
      to_org_id: to.id,
      asked_at: ctx.now(),
    });
    logger.info({ caseId: theCase.id, orgId: to.id }, "asked her about passing on the earlier conversation");
  };

  const takeAnswer = async (theCase: Case, event: MatrixEvent): Promise<boolean> => {
    if (event.getType() !== (EventType.RoomMessage as string) || event.isState()) return false;
    const content = event.getContent();
    if (typeof content["body"] !== "string" || content["m.relates_to"] !== undefined) return false;
    const question = await latestEarlierConversationQuestion(db, theCase.id);
    if (question === undefined || question.answer !== null) return false;
    if (theCase.org_id !== null && theCase.org_id !== question.to_org_id) return false;
    if (!["offered", "claimed", "active"].includes(theCase.state)) return false;
    const answer = earlierConversationAnswer(content["body"]);
    if (answer === undefined) return false;
    const sourceId = event.getId()!;
    if (await getRelayedEvent(db, sourceId)) return true;
    await answerEarlierConversationQuestion(db, {
      case_id: theCase.id,
      transfer_id: question.transfer_id,
      answer,
      at: ctx.now(),
    });
    const to = await ctx.organisation(question.to_org_id);
    const locale = localeOf(theCase);
    const key = answer === "yes" ? "bridge.earlierYes" : "bridge.earlierNo";
    const herRoom = theCase.survivor_room_id!;
    const { event_id: told } = await client.sendMessage(
      herRoom,
      { msgtype: MsgType.Text, body: translate(locale, key, { org: to?.shortName[locale] ?? question.to_org_id }) },
      relayTxnId(sourceId, "earlier-answer"),
    );
    // Recorded like a relayed event, so that it is never relayed to the organisation as one of her messages.
    await recordRelayedEvent(db, {
      source_event_id: sourceId,
      source_room_id: herRoom,
      target_room_id: herRoom,
      target_event_id: told,
      case_id: theCase.id,
      relayed_at: ctx.now(),
    });
    logger.info({ caseId: theCase.id, orgId: question.to_org_id, answer }, "her answer on the earlier conversation");
    return true;
  };

  /** Every event of a room, oldest first, decrypted, read from the server. */
  const roomEvents = async (roomId: string): Promise<MatrixEvent[]> => {
    const toEvent = client.getEventMapper();
    const events: MatrixEvent[] = [];
    let from: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const response = await client.createMessagesRequest(roomId, from, pageSize, Direction.Forward);
      events.push(...response.chunk.map((raw) => toEvent(raw)));
      if (response.chunk.length === 0 || response.end === undefined || response.end === from) break;
      from = response.end;
    }
    for (const event of events) await client.decryptEventIfNeeded(event);
    return events;
  };

  /** What was relayed between her and one earlier organisation, as read back from its org-side room. */
  const linesOf = async (
    theCase: Case,
    earlier: RelayRoom,
    orgName: string,
    reader: Locale,
  ): Promise<EarlierLine[]> => {
    const herRoom = theCase.survivor_room_id!;
    const relayed = await listRelayedEventsForCase(db, theCase.id);
    const hers = new Set(
      relayed
        .filter((e) => e.source_room_id === herRoom && e.target_room_id === earlier.org_room_id)
        .map((e) => e.target_event_id),
    );
    const theirs = new Set(
      relayed
        .filter((e) => e.source_room_id === earlier.org_room_id && e.target_room_id === herRoom)
        .map((e) => e.source_event_id),
    );
    // Her copies in the earlier room carry that organisation's prefix, in whichever language it read them.
    const herPrefixes = locales.map((l) => translate(l, "staff.relay.fromSurvivor", { code: theCase.id, body: "" }));
    const textOf = (isHers: boolean, body: string): string => {
      if (!isHers) return stripUserIds(body);
      const prefix = herPrefixes.find((p) => body.startsWith(p));
      return prefix === undefined ? body : body.slice(prefix.length);
    };
    const lines = new Map<string, EarlierLine>();
    for (const event of await roomEvents(earlier.org_room_id)) {
      const id = event.getId() ?? "";
      const isHers = hers.has(id);
      if ((!isHers && !theirs.has(id)) || event.isRedacted() || event.isDecryptionFailure()) continue;
      if (event.getType() !== (EventType.RoomMessage as string)) continue;
      const content = event.getContent();
      const relation = content["m.relates_to"];
      if (relation?.rel_type === "m.replace") {
        const replaced = lines.get(relation.event_id ?? "");
        const replacement = content["m.new_content"] as Record<string, unknown> | undefined;
        const text = replacement && readRelayable(EventType.RoomMessage, replacement);
        if (replaced !== undefined && text?.kind === "text") replaced.text = textOf(isHers, text.body);
        continue;
      }
      const text = readRelayable(EventType.RoomMessage, content);
      const who = isHers ? translate(reader, "staff.room.name", { code: theCase.id }) : orgName;
      lines.set(id, {
        at: event.getTs(),
        who,
        text: text?.kind === "text" ? textOf(isHers, text.body) : translate(reader, "staff.earlier.media"),
      });
    }
    return [...lines.values()];
  };

  const passOn = async (theCase: Case, org: Organisation, relay: RelayRoom): Promise<void> => {
    const question = await latestEarlierConversationQuestion(db, theCase.id);
    if (question?.answer !== "yes" || question.to_org_id !== org.id || question.passed_at !== null) return;
    if (!org.responders.some((responder) => hasJoined(client, relay.org_room_id, responder))) return;
    const rooms = await earlierRooms(theCase, relay.org_room_id);
    const names: string[] = [];
    const lines: EarlierLine[] = [];
    for (const earlier of rooms) {
      const name = (await ctx.organisation(earlier.org_id))?.shortName[org.staffLanguage] ?? earlier.org_id;
      names.push(name);
      lines.push(...(await linesOf(theCase, earlier, name, org.staffLanguage)));
    }
    const notices = earlierConversationNotices({
      locale: org.staffLanguage,
      code: theCase.id,
      fromOrgs: names,
      lines,
      timeZone: org.hours.timeZone,
      maxBytes: ctx.maxMessageBytes,
    });
    for (const [index, body] of notices.entries()) {
      const marker = `bridge:earlier:${relay.org_room_id}:${index}`;
      if (await getRelayedEvent(db, marker)) continue;
      const { event_id: posted } = await client.sendMessage(
        relay.org_room_id,
        { msgtype: MsgType.Notice, body },
        `bridge-earlier-${theCase.id}-${question.transfer_id}-${index}`,
      );
      await recordRelayedEvent(db, {
        source_event_id: marker,
        source_room_id: relay.org_room_id,
        target_room_id: relay.org_room_id,
        target_event_id: posted,
        case_id: theCase.id,
        relayed_at: ctx.now(),
      });
    }
    await markEarlierConversationPassed(db, theCase.id, question.transfer_id, ctx.now());
    logger.info({ caseId: theCase.id, orgId: org.id, lines: lines.length }, "earlier conversation passed on");
  };

  return { askIfTransferred, takeAnswer, passOn };
}
