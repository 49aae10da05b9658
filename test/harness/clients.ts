import "fake-indexeddb/auto";
import {
  ClientEvent,
  Direction,
  createClient,
  EventType,
  MatrixEventEvent,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";
import { decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import type { Homeserver, RegisteredUser } from "./synapse.ts";

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (...args: unknown[]) => console.error("[test client]", ...args),
  getChild: () => quietLogger,
};

export interface TestClient {
  readonly client: MatrixClient;
  readonly user: RegisteredUser;
  readonly server: Homeserver;
  stop(): Promise<void>;
}

/** A new login (a new device) for an existing account. */
export async function loginAs(server: Homeserver, account: RegisteredUser): Promise<RegisteredUser> {
  const client = createClient({ baseUrl: server.clientUrl, logger: quietLogger });
  const response = await client.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: account.userId },
    password: account.password,
  });
  return { ...account, accessToken: response.access_token, deviceId: response.device_id };
}

/** A person's client (like Element): matrix-js-sdk with Rust crypto, in memory, synced. */
export async function startTestClient(
  server: Homeserver,
  user?: RegisteredUser,
  options: { recoveryKey?: string } = {},
): Promise<TestClient> {
  const account = user ?? (await server.registerUser());
  const { recoveryKey } = options;
  const client = createClient({
    baseUrl: server.clientUrl,
    userId: account.userId,
    deviceId: account.deviceId,
    accessToken: account.accessToken,
    logger: quietLogger,
    ...(recoveryKey === undefined
      ? {}
      : {
          cryptoCallbacks: {
            getSecretStorageKey: async ({ keys }: { keys: Record<string, unknown> }) => {
              const keyId = Object.keys(keys)[0];
              return keyId === undefined
                ? null
                : ([keyId, decodeRecoveryKey(recoveryKey)] as [string, Uint8Array<ArrayBuffer>]);
            },
          },
        }),
  });
  await client.initRustCrypto({ useIndexedDB: false });
  const ready = new Promise<void>((resolve) => {
    const onSync = (state: SyncState): void => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) {
        client.off(ClientEvent.Sync, onSync);
        resolve();
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 20 });
  await ready;
  return {
    client,
    user: account,
    server,
    stop() {
      client.stopClient();
      return Promise.resolve();
    },
  };
}

export async function createEncryptedRoom(client: MatrixClient, invite: readonly string[] = []): Promise<string> {
  const { room_id: roomId } = await client.createRoom({
    invite: [...invite],
    is_direct: invite.length === 1,
    preset: "private_chat" as never,
    initial_state: [{ type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
  });
  return roomId;
}

/** Resolves once the member has that membership; checks the current state first, then listens. */
export async function waitForMembership(
  client: MatrixClient,
  roomId: string,
  userId: string,
  membership: string,
  timeoutMs = 30_000,
): Promise<void> {
  const current = (): string | undefined => {
    const room = client.getRoom(roomId);
    if (userId === client.getUserId() && room) return room.getMyMembership();
    return room?.getMember(userId)?.membership;
  };
  if (current() === membership) return;
  await new Promise<void>((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      client.off(RoomMemberEvent.Membership, check);
      client.off(RoomEvent.MyMembership, check);
      client.off(ClientEvent.Room, check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${userId} not ${membership} in ${roomId} within ${timeoutMs} ms (is ${current()})`));
    }, timeoutMs);
    const check = (): void => {
      if (current() === membership) {
        stop();
        resolve();
      }
    };
    client.on(RoomMemberEvent.Membership, check);
    client.on(RoomEvent.MyMembership, check);
    client.on(ClientEvent.Room, check);
  });
}

export async function joinWhenInvited(client: MatrixClient, roomId: string): Promise<void> {
  await waitForMembership(client, roomId, client.getUserId()!, "invite");
  await client.joinRoom(roomId);
}

/** The first room the person is invited to that is not among `known`. */
export function nextInvite(person: TestClient, known: readonly string[] = [], timeoutMs = 30_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      person.client.off(RoomEvent.MyMembership, check);
      person.client.off(ClientEvent.Room, check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${person.user.userId} was not invited to a new room within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = (): void => {
      const room = person.client.getRooms().find((r) => r.getMyMembership() === "invite" && !known.includes(r.roomId));
      if (!room) return;
      stop();
      resolve(room.roomId);
    };
    person.client.on(RoomEvent.MyMembership, check);
    person.client.on(ClientEvent.Room, check);
    check();
  });
}

/**
 * A federated invite can reach the partner server before the hub has stored it, and the hub then refuses the join
 * as "not invited" (the bots retry for the same reason, core/matrix/invites.ts). Only that refusal is retried.
 */
export async function joinOnceTheHubHasTheInvite(person: TestClient, roomId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await person.client.joinRoom(roomId);
      return;
    } catch (error) {
      const notYet = (error as { errcode?: string }).errcode === "M_FORBIDDEN" && attempt < 5;
      if (!notYet) throw error;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

async function decrypted(client: MatrixClient, event: MatrixEvent): Promise<MatrixEvent> {
  await client.decryptEventIfNeeded(event);
  if (!event.isDecryptionFailure() && !event.isBeingDecrypted()) return event;
  await new Promise<void>((resolve) => {
    const onDecrypted = (): void => {
      if (!event.isDecryptionFailure()) {
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve();
      }
    };
    event.on(MatrixEventEvent.Decrypted, onDecrypted);
  });
  return event;
}

/**
 * Collects decrypted timeline events of a room as they arrive (and those already there), so a test can wait for
 * a condition over everything seen so far.
 */
/**
 * The room's whole history as its member reads it by scrolling up, oldest first and decrypted: read backwards from
 * the end on the member's own server, which fetches from other servers what federation left out.
 */
export async function readHistory(client: MatrixClient, roomId: string): Promise<MatrixEvent[]> {
  const toEvent = client.getEventMapper();
  const events: MatrixEvent[] = [];
  let from: string | null = null;
  for (let page = 0; page < 100; page++) {
    const response = await client.createMessagesRequest(roomId, from, 100, Direction.Backward);
    events.push(...response.chunk.map((raw) => toEvent(raw)));
    if (response.chunk.length === 0 || response.end === undefined || response.end === from) break;
    from = response.end;
  }
  events.reverse();
  await Promise.all(events.map((event) => decrypted(client, event)));
  return events;
}

export class TimelineRecorder {
  /** The room's events in room order, each decrypted once its key arrives (until then typed m.room.encrypted). */
  readonly events: MatrixEvent[] = [];
  private readonly seen = new Set<string>();
  private waiters: Array<() => void> = [];
  private readonly onTimeline: (event: MatrixEvent, room: Room | undefined, toStart: boolean | undefined) => void;
  private readonly onReset: (room: Room | undefined) => void;
  private gapFills: Promise<void> = Promise.resolve();
  private readonly client: MatrixClient;
  private readonly roomId: string;

  constructor(client: MatrixClient, roomId: string) {
    this.client = client;
    this.roomId = roomId;
    this.onTimeline = (event, room, toStart) => {
      if (room?.roomId === this.roomId && toStart !== true) this.add([event], this.events.length);
    };
    // A sync that brought more events than its limit starts a new timeline: what it skipped is read back.
    this.onReset = (room) => {
      if (room?.roomId !== this.roomId) return;
      const known = new Set(this.seen);
      const at = this.events.length;
      this.gapFills = this.gapFills
        .then(() => this.fillGap(room, known, at))
        .catch((error: unknown) => console.warn("[recorder] could not read back a gap", error));
    };
    client.on(RoomEvent.Timeline, this.onTimeline);
    client.on(RoomEvent.TimelineReset, this.onReset);
    this.add(client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [], 0);
  }

  private add(events: readonly MatrixEvent[], at: number): void {
    const fresh = events.filter((e) => e.getId() !== undefined && !this.seen.has(e.getId()!));
    for (const event of fresh) this.seen.add(event.getId()!);
    this.events.splice(at, 0, ...fresh);
    for (const event of fresh) {
      void decrypted(this.client, event).then(() => {
        for (const wake of this.waiters.splice(0)) wake();
      });
    }
  }

  private async fillGap(room: Room, known: ReadonlySet<string>, at: number): Promise<void> {
    const timeline = room.getLiveTimeline();
    const reachesBack = (): boolean => timeline.getEvents().some((e) => known.has(e.getId() ?? ""));
    for (let page = 0; page < 50 && !reachesBack(); page++) {
      if (!(await this.client.paginateEventTimeline(timeline, { backwards: true, limit: 50 }))) break;
    }
    const events = timeline.getEvents();
    let lastKnown = -1;
    events.forEach((e, i) => {
      if (known.has(e.getId() ?? "")) lastKnown = i;
    });
    this.add(events.slice(lastKnown + 1), at);
  }

  messages(fromUserId?: string): MatrixEvent[] {
    return this.events.filter(
      (e) =>
        e.getType() === (EventType.RoomMessage as string) && (fromUserId === undefined || e.getSender() === fromUserId),
    );
  }

  async waitFor(description: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  stop(): void {
    this.client.off(RoomEvent.Timeline, this.onTimeline);
    this.client.off(RoomEvent.TimelineReset, this.onReset);
  }
}
