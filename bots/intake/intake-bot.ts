import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Kysely } from "kysely";
import { EventType, MsgType, type MatrixEvent, type Room } from "matrix-js-sdk";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import { answerInvites } from "../../core/matrix/invites.ts";
import { startRoomEventStream, type DeliveredEvent, type EventLedger } from "../../core/matrix/room-event-stream.ts";
import type { Database } from "../../core/db/schema.ts";
import type { Service } from "../../core/directory/index.ts";
import { translate } from "../../core/i18n/translate.ts";
import { locales, isLocale, type Locale } from "../../core/i18n/locales.ts";
import {
  deleteIntakeConversation,
  getIntakeConversation,
  saveIntakeConversation,
} from "../../core/db/repositories/intake-conversations.ts";
import { getCaseBySurvivorRoom, getOpenCaseBySurvivor } from "../../core/db/repositories/cases.ts";
import { welcomeToCaseRoom } from "./case-room-welcome.ts";
import { converse, menu, type Conversation, type Input, type Step } from "./dialogue.ts";
import { exitWordsLocale } from "../../core/i18n/exit-words.ts";
import { caseRoomName } from "./case-room.ts";
import { openCase } from "./open-case.ts";
import { quickExit, SURVIVOR_ACTOR, type QuickExitErasure } from "./quick-exit.ts";
import { classifyMessage } from "./classify-message.ts";

export interface IntakeBotDeps {
  bot: BotClient;
  db: Kysely<Database>;
  ledger: EventLedger;
  logger: Logger;
  /** The service directory as it is now (read per search, so admin changes show at once). */
  services: () => Promise<readonly Service[]>;
  retentionMs: number;
  /** Servers whose users may write to the bot; undefined: any server the hub federates with. */
  allowedServers?: readonly string[];
  now?: () => Date;
  /** How long a message waits for its room key before the survivor is asked to send it again. */
  decryptionWaitMs?: number;
  /** Called when its event stream cannot go on without losing events (the disk is full); the process stops. */
  onFatal?: (error: unknown) => void;
  /** Quick exit's reach beyond the DM (erasing her cases, purging on the hub); without it, her open case only. */
  erasure?: QuickExitErasure;
  /** Who is told at once when her case is ready to be routed; without it the case waits for the router's poll. */
  handOff?: CaseHandOff;
}

/** Whoever routes cases, as the intake bot sees it: told the moment a case is waiting. */
export interface CaseHandOff {
  caseWaiting(code: string): void;
}

export interface IntakeBot {
  stop(): Promise<void>;
}

function serverOf(userId: string): string {
  return userId.slice(userId.indexOf(":") + 1);
}

function everyLocale(key: "room.refuseUnencrypted" | "room.refuseGroup" | "input.undecryptable"): string {
  return locales.map((locale) => translate(locale, key)).join("\n\n");
}

function txnId(prefix: string, source: string, index = 0): string {
  return `${prefix}-${createHash("sha256").update(source).digest("hex").slice(0, 32)}-${index}`;
}

/**
 * The bot survivors write to first: answers encrypted one-to-one DMs, leads her through the menu, the
 * directory and triage, and opens her case. Refuses unencrypted and group rooms. Her conversation state
 * (enums only) lives in the database, so a restart resumes where she was.
 */
export function startIntakeBot(deps: IntakeBotDeps): IntakeBot {
  const { bot, db, logger } = deps;
  const client = bot.client;
  const now = deps.now ?? (() => new Date());
  /** Per room: her last text (hashed) and when the bot finished answering it. */
  const lastAnswered = new Map<string, { text: string; answeredAt: number }>();

  const isCaseRoom = (room: Room): boolean =>
    room.currentState.getStateEvents(EventType.RoomCreate, "")?.getSender() === bot.userId;

  const otherMembers = (room: Room): string[] =>
    room
      .getMembers()
      .filter((m) => m.userId !== bot.userId && (m.membership === "join" || m.membership === "invite"))
      .map((m) => m.userId);

  const send = async (roomId: string, bodies: readonly string[], source: string): Promise<void> => {
    for (const [i, body] of bodies.entries()) {
      await client.sendMessage(roomId, { msgtype: MsgType.Text, body }, txnId("intake", source, i));
    }
  };

  /** Rooms the bot has left or is leaving: events still queued for them are not answered. */
  const left = new Set<string>();
  const leave = async (roomId: string): Promise<void> => {
    left.add(roomId);
    await client.leave(roomId);
  };

  const leaveWith = async (room: Room, body: string, source: string): Promise<void> => {
    await send(room.roomId, [body], source);
    await leave(room.roomId);
  };

  const save = async (survivor: string, roomId: string, conversation: Conversation): Promise<void> => {
    await saveIntakeConversation(db, {
      survivor_mxid: survivor,
      room_id: roomId,
      locale: conversation.locale,
      step: JSON.stringify(conversation.step),
      updated_at: now().getTime(),
    });
  };

  const load = async (survivor: string): Promise<Conversation | undefined> => {
    const row = await getIntakeConversation(db, survivor);
    if (!row) return undefined;
    return {
      locale: row.locale !== null && isLocale(row.locale) ? row.locale : null,
      step: JSON.parse(row.step) as Step,
    };
  };

  /** Her single DM with the bot: refuse what is not an encrypted one-to-one room; greet her otherwise. */
  const onBotJoined = async (room: Room, event: MatrixEvent): Promise<void> => {
    const source = event.getId() ?? room.roomId;
    const others = otherMembers(room);
    if (!client.isRoomEncrypted(room.roomId)) {
      logger.info({ roomId: room.roomId }, "refused an unencrypted room");
      return leaveWith(room, everyLocale("room.refuseUnencrypted"), source);
    }
    if (others.length !== 1) {
      logger.info({ roomId: room.roomId, members: others.length + 1 }, "refused a group room");
      return leaveWith(room, everyLocale("room.refuseGroup"), source);
    }
    const survivor = others[0]!;
    const existing = await load(survivor);
    if (existing?.locale) {
      const back: Conversation = { locale: existing.locale, step: { name: "menu" } };
      await send(room.roomId, [menu(existing.locale)], source);
      return save(survivor, room.roomId, back);
    }
    const turn = converse(undefined, { kind: "text", text: "" }, { services: [], now: now(), openCase: undefined });
    await send(room.roomId, turn.replies, source);
    if (turn.conversation) await save(survivor, room.roomId, turn.conversation);
  };

  const onMembership = async (room: Room, event: MatrixEvent): Promise<void> => {
    const target = event.getStateKey();
    const membership = event.getContent<{ membership?: string }>().membership;
    if (target === bot.userId) {
      if (membership === "join" && event.getPrevContent()["membership"] !== "join") await onBotJoined(room, event);
      return;
    }
    if (target === undefined) return;
    if ((membership === "leave" || membership === "ban") && event.getPrevContent()["membership"] === "join") {
      const row = await getIntakeConversation(db, target);
      if (row?.room_id === room.roomId) await deleteIntakeConversation(db, target);
      if (otherMembers(room).length === 0) await leave(room.roomId);
      return;
    }
    if ((membership === "join" || membership === "invite") && otherMembers(room).length > 1) {
      const source = event.getId() ?? room.roomId;
      for (const member of otherMembers(room)) {
        const row = await getIntakeConversation(db, member);
        if (row?.room_id === room.roomId) await deleteIntakeConversation(db, member);
      }
      await leaveWith(room, everyLocale("room.refuseGroup"), source);
    }
  };

  const fingerprint = (input: Input): string | undefined =>
    input.kind === "text" ? createHash("sha256").update(input.text.trim()).digest("hex") : undefined;

  /** The same text again, sent before she could have seen the answer to the first: a double tap, not an answer. */
  const isDuplicate = (roomId: string, input: Input, sentAt: number): boolean => {
    const previous = lastAnswered.get(roomId);
    return previous !== undefined && previous.text === fingerprint(input) && sentAt <= previous.answeredAt;
  };

  const onMessage = async (room: Room, event: MatrixEvent, undecryptable: boolean): Promise<void> => {
    const survivor = event.getSender();
    if (survivor === undefined || survivor === bot.userId) return;
    const source = event.getId() ?? "";
    if (otherMembers(room).length !== 1) return;
    if (undecryptable) return send(room.roomId, [everyLocale("input.undecryptable")], source);
    const input = classifyMessage(event);
    if (input === undefined || isDuplicate(room.roomId, input, event.getTs())) return;

    const conversation = await load(survivor);
    const open = await getOpenCaseBySurvivor(db, survivor);
    const openCaseInfo = open
      ? { code: open.id, roomName: caseRoomName(isLocale(open.locale) ? open.locale : "en", open.id) }
      : undefined;
    const turn = converse(conversation, input, { services: await deps.services(), now: now(), openCase: openCaseInfo });
    const replies = [...turn.replies];
    const locale: Locale = turn.conversation?.locale ?? conversation?.locale ?? "en";
    for (const effect of turn.effects) {
      if (effect.type === "open-case") {
        const opened = await openCase({ ...deps, now, survivor, locale, triage: effect.triage });
        deps.handOff?.caseWaiting(opened.code);
        replies.push(translate(locale, "triage.caseOpened", { code: opened.code, roomName: opened.roomName }));
        if (effect.triage.urgent) replies.push(translate(locale, "caseRoom.urgentNote"));
        replies.push(menu(locale));
      } else {
        const exitLocale = conversation?.locale ?? (input.kind === "text" ? exitWordsLocale(input.text) : undefined);
        return exitFromDm(room, survivor, exitLocale ?? locale, source);
      }
    }
    await send(room.roomId, replies, source);
    if (turn.conversation) await save(survivor, room.roomId, turn.conversation);
    const text = fingerprint(input);
    if (text !== undefined) lastAnswered.set(room.roomId, { text, answeredAt: now().getTime() });
  };

  /** Her quick exit from her DM: everything of hers erased, the farewell in her language, and the bot leaves. */
  const exitFromDm = async (room: Room, survivor: string, locale: Locale, source: string): Promise<void> => {
    await quickExit({
      client,
      db,
      logger,
      room,
      survivor,
      botUserId: bot.userId,
      farewell: translate(locale, "exit.done"),
      farewellTxnId: txnId("intake", source),
      ...(deps.erasure && { erasure: deps.erasure }),
    });
    await leave(room.roomId);
  };

  /**
   * Her exit words in her case room: the same quick exit as from her DM when the bot still has one with her;
   * otherwise the farewell in the case room, then her cases erased (the bridge no longer relays an erased case).
   */
  const exitFromCaseRoom = async (room: Room, survivor: string, locale: Locale, source: string): Promise<void> => {
    const dm = await getIntakeConversation(db, survivor);
    const dmRoom = dm ? client.getRoom(dm.room_id) : null;
    if (dmRoom?.getMyMembership() === "join") return exitFromDm(dmRoom, survivor, locale, source);
    await send(room.roomId, [translate(locale, "exit.done")], source);
    await deps.erasure?.eraseSurvivorCases(survivor, SURVIVOR_ACTOR);
  };

  /**
   * In a case room the intake bot greets the survivor when she joins and answers her exit words; the rest
   * belongs to the bridge.
   */
  const onCaseRoomEvent = async (room: Room, event: MatrixEvent): Promise<void> => {
    if (event.getType() === (EventType.RoomMessage as string)) {
      const input = classifyMessage(event);
      const exitLocale = input?.kind === "text" ? exitWordsLocale(input.text) : undefined;
      if (exitLocale === undefined) return;
      const theCase = await getCaseBySurvivorRoom(db, room.roomId);
      if (!theCase || theCase.survivor_mxid === null || theCase.survivor_mxid !== event.getSender()) return;
      const locale = isLocale(theCase.locale) ? theCase.locale : exitLocale;
      return exitFromCaseRoom(room, theCase.survivor_mxid, locale, event.getId() ?? room.roomId);
    }
    if (event.getType() !== (EventType.RoomMember as string)) return;
    if (event.getContent<{ membership?: string }>().membership !== "join") return;
    if (event.getPrevContent()["membership"] === "join") return;
    const theCase = await getCaseBySurvivorRoom(db, room.roomId);
    if (theCase && theCase.survivor_mxid === event.getStateKey()) {
      await welcomeToCaseRoom(client, theCase, deps.retentionMs);
    }
  };

  const handler = async ({ event, room, undecryptable }: DeliveredEvent): Promise<void> => {
    if (left.has(room.roomId) || room.getMyMembership() !== "join") return;
    if (isCaseRoom(room)) return onCaseRoomEvent(room, event);
    const type = event.getType();
    if (type === (EventType.RoomMember as string)) return onMembership(room, event);
    if (undecryptable || type === (EventType.RoomMessage as string) || type === (EventType.Sticker as string)) {
      return onMessage(room, event, undecryptable);
    }
  };

  const stopInvites = answerInvites(
    client,
    ({ inviter }) =>
      inviter === undefined || (deps.allowedServers !== undefined && !deps.allowedServers.includes(serverOf(inviter)))
        ? "reject"
        : "join",
    logger,
  );
  const stream = startRoomEventStream({
    client,
    ledger: deps.ledger,
    handler,
    logger,
    ...(deps.decryptionWaitMs !== undefined && { decryptionWaitMs: deps.decryptionWaitMs }),
    ...(deps.onFatal && { onFatal: deps.onFatal }),
  });

  return {
    async stop() {
      stopInvites();
      await stream.stop();
    },
  };
}
