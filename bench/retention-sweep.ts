// Scenario 6: Haven's retention worker (bots/retention) redacting and purging every expired message of many
// rooms on the hub, next to Synapse's own purge_history of as many equivalent rooms (same messages), called
// directly one room after the other, in the same run. The worker runs here in the bench process, as the Haven
// process runs it, with its own client, database and the hub's admin API; only its pacing is off (0 ms between
// requests), so what is measured is its own cost, not the configured politeness towards the hub.
import { pino } from "pino";
import { openDatabase } from "../core/db/open.ts";
import type { NewCase } from "../core/db/schema.ts";
import { synapseAdmin, type SynapseAdmin } from "../core/matrix/synapse-admin.ts";
import { startRetentionWorker, type RetentionReport } from "../bots/retention/retention-worker.ts";
import { startTestClient, type TestClient } from "../test/harness/clients.ts";
import type { Homeserver, RegisteredUser } from "../test/harness/synapse.ts";

export interface SweepSizes {
  /** Rooms for each side (Haven's worker, Synapse directly): twice this many are made. */
  readonly rooms: number;
  readonly eventsPerRoom: number;
}

export interface SweepResults {
  readonly rooms: number;
  readonly events: number;
  readonly seedMs: number;
  readonly haven: {
    readonly wallMs: number;
    readonly report: RetentionReport;
    /** Each purge job from Haven's request to Haven seeing it complete (its polling included). */
    readonly purgeJobMs: number[];
  };
  readonly synapse: {
    readonly wallMs: number;
    /** Each purge from the request to the first status poll that says complete (polled every 20 ms). */
    readonly purgeJobMs: number[];
  };
}

const MESSAGE_LIFETIME_MS = 1_000;
const DAY_MS = 86_400_000;

async function inBatches<T>(count: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

async function call(hub: Homeserver, user: RegisteredUser, method: string, path: string, body: unknown) {
  const response = await fetch(`${hub.clientUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${user.accessToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path.split("/").slice(0, 5).join("/")}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Rooms of one user, each with `events` plain messages (content is not what redaction or purge costs). */
async function seedRooms(hub: Homeserver, user: RegisteredUser, sizes: SweepSizes, tag: string): Promise<string[]> {
  const rooms = await inBatches(sizes.rooms, 4, async () => {
    const created = await call(hub, user, "POST", "/_matrix/client/v3/createRoom", { preset: "private_chat" });
    return String(created["room_id"]);
  });
  await inBatches(sizes.rooms * sizes.eventsPerRoom, 8, async (n) => {
    const roomId = rooms[n % sizes.rooms]!;
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${tag}-${n}`;
    await call(hub, user, "PUT", path, { msgtype: "m.text", body: `message ${n}` });
  });
  return rooms;
}

/** The admin API as the worker uses it, timing each purge job from its start to the poll that sees it done. */
function timedAdmin(admin: SynapseAdmin, purgeJobMs: number[]): SynapseAdmin {
  const started = new Map<string, number>();
  return {
    ...admin,
    async purgeHistory(roomId, upToTs) {
      const at = performance.now();
      const id = await admin.purgeHistory(roomId, upToTs);
      if (id !== undefined) started.set(id, at);
      return id;
    },
    async purgeStatus(id) {
      const status = await admin.purgeStatus(id);
      const at = started.get(id);
      if (status.status === "complete" && at !== undefined) {
        purgeJobMs.push(performance.now() - at);
        started.delete(id);
      }
      return status;
    },
  };
}

function activeCase(index: number, roomId: string, survivor: string, now: number): NewCase {
  return {
    id: `S${String(index).padStart(5, "0")}-XX`,
    state: "active",
    survivor_mxid: survivor,
    survivor_room_id: roomId,
    locale: "en",
    category: "domestic_violence",
    province: "phnom_penh",
    urgent: false,
    under18: false,
    consent_summary: true,
    service_language: null,
    org_id: null,
    created_at: now - DAY_MS + index,
    updated_at: now,
    closed_at: null,
  };
}

async function havenSweep(hub: Homeserver, sweeper: RegisteredUser, rooms: readonly string[]) {
  const database = await openDatabase({ url: ":memory:", dataDir: "/nonexistent" });
  let client: TestClient | undefined;
  try {
    const now = Date.now();
    await database.db
      .insertInto("cases")
      .values(rooms.map((roomId, i) => activeCase(i, roomId, sweeper.userId, now)))
      .execute();
    client = await startTestClient(hub, sweeper);
    const purgeJobMs: number[] = [];
    const worker = startRetentionWorker({
      client: client.client,
      db: database.db,
      admin: timedAdmin(synapseAdmin({ clientUrl: hub.clientUrl, accessToken: sweeper.accessToken }), purgeJobMs),
      logger: pino({ level: "silent" }),
      hubPolicy: {
        messageLifetimeMs: MESSAGE_LIFETIME_MS,
        graceAfterCloseMs: DAY_MS,
        mediaLifetimeMs: MESSAGE_LIFETIME_MS,
        metadataLifetimeMs: DAY_MS,
      },
      intervalMs: DAY_MS,
      requestIntervalMs: 0,
      redactionLeadMs: 0,
    });
    const start = performance.now();
    const report = await worker.runOnce();
    const wallMs = performance.now() - start;
    await worker.stop();
    return { wallMs: Math.round(wallMs), report, purgeJobMs };
  } finally {
    await client?.stop();
    await database.close();
  }
}

async function synapsePurges(hub: Homeserver, admin: RegisteredUser, rooms: readonly string[]) {
  const purgeJobMs: number[] = [];
  const upToTs = Date.now() - MESSAGE_LIFETIME_MS;
  const start = performance.now();
  for (const roomId of rooms) {
    const at = performance.now();
    const { purge_id: id } = await call(
      hub,
      admin,
      "POST",
      `/_synapse/admin/v1/purge_history/${encodeURIComponent(roomId)}`,
      { delete_local_events: true, purge_up_to_ts: upToTs },
    );
    for (;;) {
      const { status } = await call(
        hub,
        admin,
        "GET",
        `/_synapse/admin/v1/purge_history_status/${String(id)}`,
        undefined,
      );
      if (status === "complete") break;
      if (status === "failed") throw new Error("a direct purge failed");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    purgeJobMs.push(performance.now() - at);
  }
  return { wallMs: Math.round(performance.now() - start), purgeJobMs };
}

export async function benchRetentionSweep(
  hub: Homeserver,
  sizes: SweepSizes,
  log: (line: string) => void,
): Promise<SweepResults> {
  const sweeper = await hub.registerUser("sweeper", { admin: true });
  const purger = await hub.registerUser("purger", { admin: true });
  log(`scenario 6: seeding 2 × ${sizes.rooms} rooms × ${sizes.eventsPerRoom} messages`);
  const seedStart = performance.now();
  const havenRooms = await seedRooms(hub, sweeper, sizes, "h");
  const synapseRooms = await seedRooms(hub, purger, sizes, "s");
  const seedMs = Math.round(performance.now() - seedStart);
  // Every message must be past its lifetime before either side looks.
  await new Promise((resolve) => setTimeout(resolve, MESSAGE_LIFETIME_MS + 100));
  log("scenario 6: Synapse's purge_history, room after room");
  const synapse = await synapsePurges(hub, purger, synapseRooms);
  log("scenario 6: Haven's retention worker, one run");
  const haven = await havenSweep(hub, sweeper, havenRooms);
  const events = sizes.rooms * sizes.eventsPerRoom;
  if (haven.report.messagesRedacted !== events || haven.report.purges !== sizes.rooms || haven.report.failures > 0) {
    throw new Error(
      `retention sweep incomplete: ${haven.report.messagesRedacted} of ${events} redacted, ${haven.report.purges} of ${sizes.rooms} purged, ${haven.report.failures} failures`,
    );
  }
  return { rooms: sizes.rooms, events, seedMs, haven, synapse };
}
