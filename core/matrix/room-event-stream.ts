import type { Logger } from "pino";
import {
  Direction,
  EventType,
  MatrixEventEvent,
  Method,
  RoomEvent,
  type IRoomTimelineData,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";
import { isTransient } from "./retry-transient.ts";
import { isDiskFull } from "../log/disk-full.ts";

/** What a bot remembers of its progress through each room: metadata only (event IDs and times). */
export interface EventLedger {
  getCheckpoint(roomId: string): Promise<{ eventId: string; originTs: number } | undefined>;
  setCheckpoint(roomId: string, eventId: string, originTs: number): Promise<void>;
  isProcessed(eventId: string): Promise<boolean>;
  markProcessed(eventId: string, roomId: string): Promise<void>;
}

export interface DeliveredEvent {
  event: MatrixEvent;
  room: Room;
  /** True when no room key arrived within the wait: the handler should tell someone, never drop it silently. */
  undecryptable: boolean;
}

export type RoomEventHandler = (delivered: DeliveredEvent) => Promise<void>;

export interface RoomEventStreamOptions {
  client: MatrixClient;
  ledger: EventLedger;
  handler: RoomEventHandler;
  logger: Logger;
  /** How long an event may wait for its room key before it is handed over as undecryptable. */
  decryptionWaitMs?: number;
  /** Upper bound on back-pagination when catching up one room after downtime. */
  maxCatchUpPages?: number;
  /**
   * Called when the stream cannot go on without losing events (the disk under the data is full): it has stopped
   * handing events over, recorded nothing it did not finish, and the process should stop.
   */
  onFatal?: (error: unknown) => void;
  /** Backoff between attempts when the handler fails for a passing reason (the homeserver away). */
  retryFirstDelayMs?: number;
  retryMaxDelayMs?: number;
}

export interface RoomEventStream {
  /** Resolves when every queued event has been handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForDecryption(client: MatrixClient, event: MatrixEvent, waitMs: number): Promise<boolean> {
  await client.decryptEventIfNeeded(event);
  if (!event.isDecryptionFailure()) return true;
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      event.off(MatrixEventEvent.Decrypted, onDecrypted);
      resolve(ok);
    };
    const onDecrypted = (): void => {
      if (!event.isDecryptionFailure()) finish(true);
    };
    const timer = setTimeout(() => finish(false), waitMs);
    event.on(MatrixEventEvent.Decrypted, onDecrypted);
  });
}

/**
 * Hands every timeline event of every joined room to `handler` once, in room order, decrypted when its key
 * arrives — including the events that came while the bot was down: after a restart (or a gap in sync) each room
 * is paged back to the last checkpoint before live events are handled. A crash between handling an event and
 * recording it means that event is handled again, so handlers must be idempotent (e.g. deterministic txn IDs).
 * A handler that fails for a passing reason (see isTransient) is called again, with backoff, until it succeeds or
 * the stream stops; one that fails for any other reason is logged and the event recorded as handled.
 */
export function startRoomEventStream(options: RoomEventStreamOptions): RoomEventStream {
  const { client, ledger, handler, logger } = options;
  const decryptionWaitMs = options.decryptionWaitMs ?? 30_000;
  const retryFirstDelayMs = options.retryFirstDelayMs ?? 500;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 10_000;
  const gapPageSize = 50;
  const maxGapPages = 40;
  const gapClockSkewMs = 10 * 60_000;
  const gapSettleWalks = 5;
  const gapSettleMs = 1_000;
  const maxPages = options.maxCatchUpPages ?? 200;
  const queues = new Map<string, Promise<void>>();
  const handledInMemory = new Set<string>();
  let stopped = false;
  const sleepers = new Set<() => void>();
  /** A wait that stop() cuts short. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const fatal = (error: unknown): void => {
    if (stopped) return;
    stopped = true;
    for (const wake of sleepers) wake();
    options.onFatal?.(error);
  };

  const enqueue = (roomId: string, task: () => Promise<void>): void => {
    const previous = queues.get(roomId) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (stopped) return;
      try {
        await task();
      } catch (error) {
        if (isDiskFull(error)) fatal(error);
        else logger.error({ roomId, err: error }, "room event task failed");
      }
    });
    queues.set(roomId, next);
  };

  const isHandled = async (eventId: string): Promise<boolean> => {
    if (handledInMemory.has(eventId)) return true;
    if (!(await ledger.isProcessed(eventId))) return false;
    handledInMemory.add(eventId);
    return true;
  };

  /**
   * The bot's own messages (not its state changes, which come through sync like anyone's): the SDK turns their
   * local echo into the sent event without a new timeline event, so they are never handed over, and none of them
   * is missing. Counted as missed, each one before another server's event cost a gap fill and its settling pause.
   */
  const sentByUs = (event: MatrixEvent): boolean => event.getSender() === client.getUserId() && !event.isState();

  const ownServer = client.getDomain();
  const fromAnotherServer = (event: MatrixEvent): boolean => {
    const sender = event.getSender() ?? "";
    return sender.slice(sender.indexOf(":") + 1) !== ownServer;
  };

  /**
   * The events before `event` that were not handled, oldest first, back to `since` (the last event handled in the
   * room before `event`). After an outage federation can leave a gap (the sending server hands over only its latest
   * events; the rest wait to be fetched), and such events never come through sync: reading the history backwards
   * from `event` makes Synapse backfill them from the other server. Without `since` the walk stops at the first
   * event already handled; it always stops at the bot's own join and at events well older than `since`.
   */
  const missedBefore = async (
    room: Room,
    event: MatrixEvent,
    since: { eventId: string; originTs: number } | undefined,
  ): Promise<MatrixEvent[]> => {
    const path = `/rooms/${encodeURIComponent(room.roomId)}/context/${encodeURIComponent(event.getId()!)}`;
    const context = await client.http.authedRequest<{ start?: string }>(Method.Get, path, { limit: "0" });
    const toEvent = client.getEventMapper();
    const missed: MatrixEvent[] = [];
    let from = context.start;
    for (let page = 0; from !== undefined && page < maxGapPages; page++) {
      const response = await client.createMessagesRequest(room.roomId, from, gapPageSize, Direction.Backward);
      for (const raw of response.chunk) {
        const before = toEvent(raw);
        const ownJoin = before.getStateKey() === client.getUserId() && before.getType() === "m.room.member";
        const tooOld = since !== undefined && before.getTs() < since.originTs - gapClockSkewMs;
        if (ownJoin || tooOld || before.getId() === since?.eventId) return missed.reverse();
        if (!(sentByUs(before) || (await isHandled(before.getId()!)))) missed.push(before);
        else if (since === undefined) return missed.reverse();
      }
      if (response.chunk.length === 0 || response.end === undefined || response.end === from) break;
      from = response.end;
    }
    if (missed.length > 0) logger.warn({ roomId: room.roomId, missed: missed.length }, "gap walk reached its bound");
    return missed.reverse();
  };

  /**
   * Hands over what is missing before `event` first. Synapse may fetch a large gap in steps, some in the
   * background, so once a gap is found the walk is made again, a little later each time, until it finds nothing.
   */
  const fillGapBefore = async (room: Room, event: MatrixEvent): Promise<void> => {
    const since = await ledger.getCheckpoint(room.roomId);
    const walk = async (): Promise<MatrixEvent[]> => {
      try {
        return await missedBefore(room, event, since);
      } catch (error) {
        if (isTransient(error)) throw error;
        logger.warn({ roomId: room.roomId, err: error }, "history before an event not readable; gap not checked");
        return [];
      }
    };
    let missed = await walk();
    for (let settle = 0; missed.length > 0; settle++) {
      logger.info({ roomId: room.roomId, missed: missed.length }, "filling a gap in the room");
      for (const earlier of missed) await deliver(room, earlier, { gapChecked: true });
      if (since === undefined || settle >= gapSettleWalks || stopped) return;
      await pause(gapSettleMs * 2 ** settle);
      missed = await walk();
    }
  };

  const deliver = async (room: Room, event: MatrixEvent, options: { gapChecked?: boolean } = {}): Promise<void> => {
    const eventId = event.getId();
    if (eventId === undefined || event.status !== null || eventId.startsWith("~")) return;
    if (await isHandled(eventId)) return;
    // Once the bot is out of the room its history is no longer readable: nothing to walk.
    const outOfRoom =
      room.getMyMembership() !== "join" ||
      (event.getType() === (EventType.RoomMember as string) &&
        event.getStateKey() === client.getUserId() &&
        ["leave", "ban"].includes(String(event.getContent()["membership"])));
    let gapChecked = options.gapChecked === true || !fromAnotherServer(event) || outOfRoom;
    logger.debug({ roomId: room.roomId, eventId, type: event.getType() }, "delivering");
    const decrypted = !event.isEncrypted() || (await waitForDecryption(client, event, decryptionWaitMs));
    if (stopped) return;
    for (let delay = retryFirstDelayMs; ; delay = Math.min(delay * 2, retryMaxDelayMs)) {
      try {
        if (!gapChecked) {
          await fillGapBefore(room, event);
          gapChecked = true;
        }
        await handler({ event, room, undecryptable: !decrypted });
        break;
      } catch (error) {
        // Not recorded: the next start hands it over again.
        if (stopped) return;
        if (isDiskFull(error)) return fatal(error);
        if (!isTransient(error)) {
          logger.error({ roomId: room.roomId, eventId, err: error }, "handler failed; event not retried");
          break;
        }
        // The homeserver is away: the room waits (its later events too, to keep their order) until it is back.
        logger.warn({ roomId: room.roomId, eventId, retryInMs: delay, err: error }, "handler failed; retrying");
        await pause(delay);
        if (stopped) return;
      }
    }
    handledInMemory.add(eventId);
    await ledger.markProcessed(eventId, room.roomId);
    await ledger.setCheckpoint(room.roomId, eventId, event.getTs());
  };

  /**
   * The room's history after `eventId`, read from the server page by page: the client's own timeline after a
   * restart may not reach back that far, and paging it back stops at gaps.
   */
  const serverEventsAfter = async (room: Room, eventId: string): Promise<MatrixEvent[] | undefined> => {
    const path = `/rooms/${encodeURIComponent(room.roomId)}/context/${encodeURIComponent(eventId)}`;
    let context: { end?: string };
    try {
      context = await client.http.authedRequest<{ end?: string }>(Method.Get, path, { limit: "0" });
    } catch (error) {
      logger.warn({ roomId: room.roomId, err: error }, "checkpoint event not readable on the server");
      return undefined;
    }
    const toEvent = client.getEventMapper();
    const events: MatrixEvent[] = [];
    let from = context.end;
    for (let page = 0; from !== undefined && page < maxPages; page++) {
      const response = await client.createMessagesRequest(room.roomId, from, 100, Direction.Forward);
      events.push(...response.chunk.map((raw) => toEvent(raw)));
      if (response.chunk.length === 0 || response.end === undefined || response.end === from) break;
      from = response.end;
    }
    return events;
  };

  const eventsSinceCheckpoint = async (room: Room): Promise<MatrixEvent[]> => {
    const checkpoint = await ledger.getCheckpoint(room.roomId);
    const timeline = (): MatrixEvent[] => room.getLiveTimeline().getEvents();
    if (checkpoint === undefined) return timeline();
    const index = timeline().findIndex((e) => e.getId() === checkpoint.eventId);
    if (index >= 0) return timeline().slice(index + 1);
    const fromServer = await serverEventsAfter(room, checkpoint.eventId);
    if (fromServer !== undefined) {
      const seen = new Set(fromServer.map((e) => e.getId()));
      return [...fromServer, ...timeline().filter((e) => !seen.has(e.getId()) && e.getTs() >= checkpoint.originTs)];
    }
    logger.warn({ roomId: room.roomId }, "checkpoint event not found; resuming by timestamp");
    return timeline().filter((e) => e.getTs() >= checkpoint.originTs);
  };

  const catchUp = (room: Room): void =>
    enqueue(room.roomId, async () => {
      for (const event of await eventsSinceCheckpoint(room)) await deliver(room, event);
    });

  const onTimeline = (
    event: MatrixEvent,
    room: Room | undefined,
    toStartOfTimeline: boolean | undefined,
    removed: boolean,
    data: IRoomTimelineData,
  ): void => {
    logger.debug(
      { roomId: room?.roomId, eventId: event.getId(), toStartOfTimeline, live: data.liveEvent },
      "timeline event",
    );
    if (!room || toStartOfTimeline || removed || !data.liveEvent) return;
    enqueue(room.roomId, () => deliver(room, event));
  };
  const onTimelineReset = (room: Room | undefined): void => {
    if (room) catchUp(room);
  };

  for (const room of client.getRooms()) {
    if (room.getMyMembership() === "join") catchUp(room);
  }
  client.on(RoomEvent.Timeline, onTimeline);
  client.on(RoomEvent.TimelineReset, onTimelineReset);

  const idle = async (): Promise<void> => {
    let pending = [...queues.values()];
    while (pending.length > 0) {
      await Promise.all(pending);
      const now = [...queues.values()];
      pending = now.filter((p) => !pending.includes(p));
    }
  };

  return {
    idle,
    async stop() {
      client.off(RoomEvent.Timeline, onTimeline);
      client.off(RoomEvent.TimelineReset, onTimelineReset);
      stopped = true;
      for (const wake of sleepers) wake();
      await Promise.all(queues.values());
    },
  };
}
