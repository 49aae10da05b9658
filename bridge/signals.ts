// Typing notifications and read receipts, passed across a case's two rooms as the bridge bot's own: she sees the
// bot typing while a counsellor types, and a counsellor sees the bot's read receipt on their message once she has
// read its copy (and the same the other way). Nothing of who typed or read crosses: only that someone did.
import { Method, RoomEvent, RoomMemberEvent, type MatrixEvent, type Room, type RoomMember } from "matrix-js-sdk";
import type { Case } from "../core/db/schema.ts";
import { getCaseBySurvivorRoom } from "../core/db/repositories/cases.ts";
import { getRelayRoom, getRelayRoomByOrgRoom, getRelayedEventByTarget } from "../core/db/repositories/relay.ts";
import type { Organisation } from "../core/organisations/organisation.ts";
import { hasJoined, type BridgeContext } from "./context.ts";
import { typingDecision, type TypingLimits, type TypingShown } from "./typing-throttle.ts";

export interface SignalsOptions {
  relayTyping: boolean;
  relayReceipts: boolean;
  typingLimits?: TypingLimits;
}

export interface Signals {
  stop(): void;
}

/** The case and its holder, when the case is being relayed (claimed or active, relay mode, not halted). */
export type Relaying = (caseId: string) => Promise<{ theCase: Case; org: Organisation } | undefined>;

/** How long the bot's "typing" lasts on the server if it is never refreshed or cleared. */
const typingTimeoutMs = 30_000;
const defaultLimits: TypingLimits = { minIntervalMs: 2_000, refreshMs: 20_000 };
/** How far back from a read receipt a copy is looked for (a receipt often lands on the bot's own notice). */
const receiptLookBack = 20;

export function relaySignals(ctx: BridgeContext, relaying: Relaying, options: SignalsOptions): Signals {
  const { client, db, logger } = ctx;
  const limits = options.typingLimits ?? defaultLimits;

  /**
   * The room on the other side of a case for what `userId` does in `roomId`: her room → the org-side room when
   * she is the survivor; the org-side room → her room when they are a responder of the holder and she is there.
   */
  const otherSide = async (roomId: string, userId: string): Promise<string | undefined> => {
    if (userId === ctx.botUserId) return undefined;
    const hers = await getCaseBySurvivorRoom(db, roomId);
    if (hers !== undefined) {
      if (userId !== hers.survivor_mxid) return undefined;
      const held = await relaying(hers.id);
      if (held === undefined) return undefined;
      const relay = await getRelayRoom(db, held.theCase.id, held.org.id);
      return relay?.retired_at === null ? relay.org_room_id : undefined;
    }
    const relay = await getRelayRoomByOrgRoom(db, roomId);
    if (relay === undefined || relay.retired_at !== null) return undefined;
    const held = await relaying(relay.case_id);
    if (held?.org.id !== relay.org_id || !held.org.responders.includes(userId as never)) return undefined;
    const herRoom = held.theCase.survivor_room_id!;
    return hasJoined(client, herRoom, held.theCase.survivor_mxid!) ? herRoom : undefined;
  };

  const typers = new Map<string, Set<string>>();
  const shown = new Map<string, TypingShown & { timer?: NodeJS.Timeout }>();
  let stopped = false;

  /** Brings the bot's typing in `roomId` in line with whether anyone on the other side types, within the limits. */
  const showTyping = (roomId: string): void => {
    if (stopped) return;
    const state = shown.get(roomId) ?? { shown: false, lastSentAt: undefined };
    shown.set(roomId, state);
    clearTimeout(state.timer);
    const wanted = (typers.get(roomId)?.size ?? 0) > 0;
    const decision = typingDecision(state, wanted, ctx.now(), limits);
    if (decision.kind === "none") {
      shown.delete(roomId);
      return;
    }
    if (decision.kind === "wait") {
      state.timer = setTimeout(() => showTyping(roomId), decision.ms);
      return;
    }
    state.shown = decision.typing;
    state.lastSentAt = ctx.now();
    client.sendTyping(roomId, decision.typing, typingTimeoutMs).catch((error: unknown) => {
      logger.warn({ roomId, err: error }, "typing notification not relayed");
    });
    if (decision.typing) state.timer = setTimeout(() => showTyping(roomId), limits.refreshMs);
  };

  const onTyping = (_event: MatrixEvent, member: RoomMember): void => {
    void (async () => {
      const target = await otherSide(member.roomId, member.userId);
      if (target === undefined) return;
      const set = typers.get(target) ?? new Set<string>();
      if (member.typing) set.add(member.userId);
      else set.delete(member.userId);
      if (set.size === 0) typers.delete(target);
      else typers.set(target, set);
      showTyping(target);
    })().catch((error: unknown) => logger.warn({ err: error }, "typing not relayed"));
  };

  /** The original (on the other side) of the latest copy at or before `eventId` in `roomId`. */
  const originalOfLatestCopy = async (room: Room, eventId: string, target: string): Promise<string | undefined> => {
    const events = room.getLiveTimeline().getEvents();
    const index = events.findIndex((event) => event.getId() === eventId);
    const candidates = index < 0 ? [eventId] : events.slice(Math.max(0, index - receiptLookBack), index + 1).reverse();
    for (const candidate of candidates) {
      const id = typeof candidate === "string" ? candidate : candidate.getId();
      if (id === undefined) continue;
      const copy = await getRelayedEventByTarget(db, id);
      if (copy?.target_room_id !== room.roomId || copy.source_room_id !== target) continue;
      if (copy.source_event_id.startsWith("bridge:")) continue;
      return copy.source_event_id;
    }
    return undefined;
  };

  const receipted = new Map<string, string>();
  const onReceipt = (event: MatrixEvent, room: Room): void => {
    const content = event.getContent<Record<string, Record<string, Record<string, unknown>> | undefined>>();
    void (async () => {
      for (const [eventId, byType] of Object.entries(content)) {
        for (const reader of Object.keys(byType?.["m.read"] ?? {})) {
          const target = await otherSide(room.roomId, reader);
          if (target === undefined) continue;
          const original = await originalOfLatestCopy(room, eventId, target);
          if (original === undefined || receipted.get(target) === original) continue;
          receipted.set(target, original);
          const path = `/rooms/${encodeURIComponent(target)}/receipt/m.read/${encodeURIComponent(original)}`;
          await client.http.authedRequest(Method.Post, path, undefined, {});
          logger.debug({ roomId: target }, "read receipt relayed");
        }
      }
    })().catch((error: unknown) => logger.warn({ roomId: room.roomId, err: error }, "read receipt not relayed"));
  };

  if (options.relayTyping) client.on(RoomMemberEvent.Typing, onTyping);
  if (options.relayReceipts) client.on(RoomEvent.Receipt, onReceipt);
  return {
    stop() {
      stopped = true;
      client.off(RoomMemberEvent.Typing, onTyping);
      client.off(RoomEvent.Receipt, onReceipt);
      for (const state of shown.values()) clearTimeout(state.timer);
    },
  };
}
