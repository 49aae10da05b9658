import type { EventLedger } from "../../core/matrix/room-event-stream.ts";

export function memoryLedger(): EventLedger {
  const checkpoints = new Map<string, { eventId: string; originTs: number }>();
  const processed = new Set<string>();
  return {
    getCheckpoint: async (roomId) => checkpoints.get(roomId),
    setCheckpoint: async (roomId, eventId, originTs) => void checkpoints.set(roomId, { eventId, originTs }),
    isProcessed: async (eventId) => processed.has(eventId),
    markProcessed: async (eventId) => void processed.add(eventId),
  };
}
