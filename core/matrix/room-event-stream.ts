import type { Logger } from "pino";
import {
  Direction,
  MatrixEventEvent,
  Method,
  RoomEvent,
  type IRoomTimelineData,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";

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
 */
export function startRoomEventStream(options: RoomEventStreamOptions): RoomEventStream {
  const { client, ledger, handler, logger } = options;
  const decryptionWaitMs = options.decryptionWaitMs ?? 30_000;
  const maxPages = options.maxCatchUpPages ?? 200;
  const queues = new Map<string, Promise<void>>();
  const handledInMemory = new Set<string>();
  let stopped = false;

  const enqueue = (roomId: string, task: () => Promise<void>): void => {
    const previous = queues.get(roomId) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (stopped) return;
      try {
        await task();
      } catch (error) {
        logger.error({ roomId, err: error }, "room event task failed");
      }
    });
    queues.set(roomId, next);
  };

  const deliver = async (room: Room, event: MatrixEvent): Promise<void> => {
    const eventId = event.getId();
    if (eventId === undefined || event.status !== null || eventId.startsWith("~")) return;
    if (handledInMemory.has(eventId) || (await ledger.isProcessed(eventId))) {
      handledInMemory.add(eventId);
      return;
    }
    logger.debug({ roomId: room.roomId, eventId, type: event.getType() }, "delivering");
    const decrypted = !event.isEncrypted() || (await waitForDecryption(client, event, decryptionWaitMs));
    if (stopped) return;
    try {
      await handler({ event, room, undecryptable: !decrypted });
    } catch (error) {
      logger.error({ roomId: room.roomId, eventId, err: error }, "handler failed; event not retried");
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
      await Promise.all(queues.values());
    },
  };
}
