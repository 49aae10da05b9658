// How far behind the homeserver a bot is, from what its sync loop already sees: for the newest live event, the
// time from the event's origin_server_ts to its arrival; and how long ago the last sync response came (a long poll
// answers at least every 30 s, so a larger age means the loop is stuck or the hub is gone). Figures only.
import { ClientEvent, RoomEvent, SyncState, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";

export interface SyncLagFigures {
  /** Seconds from the newest live event's sending to its arrival; null before the first. */
  readonly lagSeconds: number | null;
  /** Seconds since the last sync response; null before the first. */
  readonly lastSyncAgeSeconds: number | null;
}

export interface SyncLagTracker {
  figures(): SyncLagFigures;
  stop(): void;
}

export function trackSyncLag(client: MatrixClient, now: () => number = Date.now): SyncLagTracker {
  let lagMs: number | null = null;
  let lastSyncAt: number | null = null;
  const onTimeline = (
    event: MatrixEvent,
    _room: Room | undefined,
    toStartOfTimeline: boolean | undefined,
    _removed: boolean,
    data: { liveEvent?: boolean },
  ): void => {
    if (toStartOfTimeline === true || data.liveEvent !== true) return;
    lagMs = Math.max(0, now() - event.getTs());
  };
  const onSync = (state: SyncState): void => {
    if (state === SyncState.Syncing || state === SyncState.Prepared || state === SyncState.Catchup) lastSyncAt = now();
  };
  client.on(RoomEvent.Timeline, onTimeline);
  client.on(ClientEvent.Sync, onSync);
  return {
    figures: () => ({
      lagSeconds: lagMs === null ? null : lagMs / 1000,
      lastSyncAgeSeconds: lastSyncAt === null ? null : (now() - lastSyncAt) / 1000,
    }),
    stop() {
      client.off(RoomEvent.Timeline, onTimeline);
      client.off(ClientEvent.Sync, onSync);
    },
  };
}
