// Her Matrix session in the page: created or restored from her return code, encrypted with the Rust crypto (WASM)
// in memory only. This module is loaded lazily, after the first screen shows: it pulls in the SDK and the WASM.
import {
  ClientEvent,
  createClient,
  EventType,
  KnownMembership,
  MatrixEventEvent,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";
import { CryptoEvent } from "matrix-js-sdk/lib/crypto-api/index.js";
import { API, type ApiRefusal, type NewAccountResponse, type SessionResponse } from "../shared/api.ts";
import { deriveLookup, derivePassword, deriveRecoveryKey, newReturnCode } from "./return-code.ts";

export interface ChatMessage {
  id: string;
  mine: boolean;
  body: string;
  /** For her own messages: sending, on the server, or read by someone else in the room. */
  mark?: "sending" | "delivered" | "read";
}

export interface ChatRoom {
  roomId: string;
  /** Her DM with the intake bot, or a case room. */
  kind: "assistant" | "case";
  name: string;
  topic: string | undefined;
  messages: ChatMessage[];
  othersTyping: boolean;
}

export interface ChatSession {
  readonly userId: string;
  readonly accessToken: string;
  /** Her return code, digits only; only a new session has it to show. */
  readonly code: string;
  rooms(): ChatRoom[];
  send(roomId: string, text: string): Promise<void>;
  typing(roomId: string): void;
  /** Called on any change worth re-drawing. */
  onChange(listener: () => void): void;
  /** True once every room key she has is in the key backup (her code can then restore everything). */
  keysSaved(): boolean;
  stop(): void;
}

export type SessionOutcome = { session: ChatSession } | { refused: ApiRefusal["error"] | "failed" };

const silentLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  getChild: () => silentLogger,
};

const passwordAuth = (userId: string, password: string) => ({
  type: "m.login.password",
  identifier: { type: "m.id.user", user: userId },
  password,
});

async function postLookup<T>(path: string, lookup: string): Promise<T | { refused: ApiRefusal["error"] }> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lookup }),
  });
  const body = (await response.json()) as T | ApiRefusal;
  if (!response.ok) return { refused: (body as ApiRefusal).error ?? "unavailable" };
  return body as T;
}

async function login(userId: string, password: string): Promise<{ accessToken: string; deviceId: string }> {
  const anonymous = createClient({ baseUrl: location.origin, logger: silentLogger });
  const response = await anonymous.loginRequest({
    ...passwordAuth(userId, password),
    initial_device_display_name: "Web chat",
  });
  return { accessToken: response.access_token, deviceId: response.device_id };
}

async function cryptoClient(
  userId: string,
  device: { accessToken: string; deviceId: string },
  recoveryKey: Uint8Array<ArrayBuffer>,
): Promise<MatrixClient> {
  const client = createClient({
    baseUrl: location.origin,
    userId,
    deviceId: device.deviceId,
    accessToken: device.accessToken,
    logger: silentLogger,
    cryptoCallbacks: {
      getSecretStorageKey: async ({ keys }) => {
        const keyId = Object.keys(keys)[0];
        return keyId === undefined ? null : [keyId, recoveryKey];
      },
    },
  });
  // In memory only: nothing of her keys or messages is written to the device.
  await client.initRustCrypto({ useIndexedDB: false });
  return client;
}

async function startSyncing(client: MatrixClient): Promise<void> {
  const ready = new Promise<void>((resolve) => {
    const onSync = (state: SyncState): void => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) {
        client.off(ClientEvent.Sync, onSync);
        resolve();
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 100, lazyLoadMembers: true });
  await ready;
}

/** A fresh anonymous account from Haven, her code-derived password and keys set, and her DM with the intake bot. */
export async function startNewSession(intakeUserId: string): Promise<SessionOutcome> {
  let code = newReturnCode();
  let created = await postLookup<NewAccountResponse>(API.accounts, await deriveLookup(code));
  if ("refused" in created && created.refused === "code-taken") {
    code = newReturnCode();
    created = await postLookup<NewAccountResponse>(API.accounts, await deriveLookup(code));
  }
  if ("refused" in created) return created;
  const { userId, temporaryPassword } = created;
  const device = await login(userId, temporaryPassword);
  const [password, recoveryKey] = await Promise.all([derivePassword(code, userId), deriveRecoveryKey(code, userId)]);
  const client = await cryptoClient(userId, device, recoveryKey);
  // From here on Haven's one-time password is worthless: only her code opens the account.
  await client.setPassword(passwordAuth(userId, temporaryPassword), password, false);
  const crypto = client.getCrypto()!;
  await crypto.bootstrapCrossSigning({
    authUploadDeviceSigningKeys: async (makeRequest) => void (await makeRequest(passwordAuth(userId, password))),
  });
  await crypto.bootstrapSecretStorage({
    createSecretStorageKey: async () => ({ privateKey: recoveryKey }),
    setupNewKeyBackup: true,
  });
  const session = chatSession(client, intakeUserId, code, device.accessToken);
  await startSyncing(client);
  const { room_id: roomId } = await client.createRoom({
    invite: [intakeUserId],
    is_direct: true,
    preset: "private_chat" as never,
    initial_state: [{ type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
  });
  await client.setAccountData(EventType.Direct, { [intakeUserId]: [roomId] });
  return { session };
}

/** Her account found by her code, her password and key-backup key derived from it, her history restored. */
export async function restoreSession(intakeUserId: string, code: string): Promise<SessionOutcome> {
  const found = await postLookup<SessionResponse>(API.sessions, await deriveLookup(code));
  if ("refused" in found) return found;
  const { userId } = found;
  const [password, recoveryKey] = await Promise.all([derivePassword(code, userId), deriveRecoveryKey(code, userId)]);
  const device = await login(userId, password);
  const client = await cryptoClient(userId, device, recoveryKey);
  const crypto = client.getCrypto()!;
  const session = chatSession(client, intakeUserId, "", device.accessToken);
  await startSyncing(client);
  // Her cross-signing keys come out of secret storage only once this device knows their public halves.
  await crypto.userHasCrossSigningKeys(userId, true);
  await crypto.bootstrapCrossSigning({
    authUploadDeviceSigningKeys: async (makeRequest) => void (await makeRequest(passwordAuth(userId, password))),
  });
  await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
  await crypto.checkKeyBackupAndEnable();
  await crypto.restoreKeyBackup();
  return { session };
}

function isShown(event: MatrixEvent): boolean {
  return event.getType() === (EventType.RoomMessage as string) && !event.isRedacted() && !event.isDecryptionFailure();
}

function chatSession(client: MatrixClient, intakeUserId: string, code: string, accessToken: string): ChatSession {
  const userId = client.getUserId()!;
  const listeners: (() => void)[] = [];
  let keysSaved = false;
  const changed = (): void => listeners.forEach((listener) => listener());

  client.on(RoomEvent.MyMembership, (room: Room, membership: string) => {
    // The intake bot invites her into her case room; nobody else may pull her into a room.
    const inviter = room.getMember(userId)?.events.member?.getSender();
    if (membership === (KnownMembership.Invite as string) && inviter === intakeUserId) {
      client.joinRoom(room.roomId).then(changed, () => undefined);
    }
    changed();
  });
  client.on(RoomEvent.Timeline, (event: MatrixEvent, room: Room | undefined) => {
    if (room !== undefined && event.getSender() !== userId && isShown(event)) {
      client.sendReadReceipt(event).catch(() => undefined);
    }
    changed();
  });
  client.on(MatrixEventEvent.Decrypted, (event: MatrixEvent) => {
    const room = client.getRoom(event.getRoomId());
    if (room !== null && event.getSender() !== userId && isShown(event)) {
      client.sendReadReceipt(event).catch(() => undefined);
    }
    changed();
  });
  client.on(RoomEvent.Receipt, changed);
  client.on(RoomEvent.LocalEchoUpdated, changed);
  client.on(RoomEvent.Name, changed);
  client.on(RoomMemberEvent.Typing, changed);
  client.on(CryptoEvent.KeyBackupSessionsRemaining, (remaining: number) => {
    keysSaved = remaining === 0;
    changed();
  });

  const toMessage = (room: Room, event: MatrixEvent, others: string[]): ChatMessage => {
    const mine = event.getSender() === userId;
    const id = event.getId() ?? event.getTxnId() ?? "";
    const body = String(event.getContent().body ?? "");
    if (!mine) return { id, mine, body };
    const mark =
      event.status !== null ? "sending" : others.some((o) => room.hasUserReadEvent(o, id)) ? "read" : "delivered";
    return { id, mine, body, mark };
  };

  const asChatRoom = (room: Room): ChatRoom => {
    const members = room.getJoinedMembers().map((m) => m.userId);
    const others = members.filter((m) => m !== userId);
    const isDm = members.length <= 2 && room.getMember(intakeUserId) !== null && room.getCreator() === userId;
    const topic = room.currentState.getStateEvents(EventType.RoomTopic, "")?.getContent().topic as string | undefined;
    return {
      roomId: room.roomId,
      kind: isDm ? "assistant" : "case",
      name: room.name,
      topic,
      messages: room
        .getLiveTimeline()
        .getEvents()
        .filter(isShown)
        .map((event) => toMessage(room, event, others)),
      othersTyping: room.getMembers().some((member) => member.userId !== userId && member.typing),
    };
  };

  return {
    userId,
    accessToken,
    code,
    rooms: () =>
      client
        .getRooms()
        .filter((room) => room.getMyMembership() === (KnownMembership.Join as string))
        .sort((a, b) => (a.getCreator() === userId ? -1 : 0) - (b.getCreator() === userId ? -1 : 0))
        .map(asChatRoom),
    send: async (roomId, text) => void (await client.sendTextMessage(roomId, text)),
    typing: (roomId) => void client.sendTyping(roomId, true, 4000).catch(() => undefined),
    onChange: (listener) => void listeners.push(listener),
    keysSaved: () => keysSaved,
    stop: () => {
      client.stopClient();
      client.removeAllListeners();
    },
  };
}
