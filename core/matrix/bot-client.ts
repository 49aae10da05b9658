import { createHash } from "node:crypto";
import type { Logger } from "pino";
import {
  ClientEvent,
  createClient,
  MemoryStore,
  SyncState,
  type ICreateClientOpts,
  type MatrixClient,
} from "matrix-js-sdk";
import { decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { botFiles } from "./bot-files.ts";
import { CryptoPersister } from "./crypto-persister.ts";
import { forgetLeftRooms, type LeftRooms } from "./forget-left-rooms.ts";
import { persistingFetch } from "./persisting-fetch.ts";
import { perRoomScheduler } from "./per-room-scheduler.ts";
import { readSealedFile, writeSealedFile } from "./sealed-file.ts";
import { readSession, writeSession, type BotSession } from "./session.ts";
import { sdkLogger } from "./sdk-logger.ts";

export interface BotClientOptions {
  homeserverUrl: string;
  userId: string;
  /** Needed to log in a new device and to authorise the first cross-signing upload. */
  password?: string;
  /** An existing login, used when there is no stored session yet. */
  accessToken?: string;
  deviceDisplayName?: string;
  /** This bot's own directory under the data directory (see botStateDir). */
  stateDir: string;
  storageKey: Uint8Array;
  /** Secret storage recovery key; generated and kept sealed in stateDir when absent. */
  recoveryKey?: string;
  logger: Logger;
  /** Events per room in the first sync; bots page back further themselves when they need to. */
  initialSyncLimit?: number;
  /** Told as start-up passes each stage (for readiness reporting and for crash tests). */
  onStage?: (stage: BotStartStage) => void;
}

export type BotStartStage = "session" | "crypto" | "synced" | "cross-signed";

export interface BotClient {
  readonly client: MatrixClient;
  readonly userId: string;
  readonly deviceId: string;
  readonly persister: CryptoPersister;
  /** Rooms the bot left, forgotten a minute later (see forget-left-rooms.ts). */
  readonly leftRooms: LeftRooms;
  /** Stops syncing, writes the crypto state, frees the in-memory store. */
  stop(): Promise<void>;
}

class BotClientError extends Error {
  override readonly name = "BotClientError";
}

async function login(options: BotClientOptions, previousDeviceId?: string): Promise<BotSession> {
  if (options.password === undefined) {
    throw new BotClientError(
      previousDeviceId === undefined
        ? `cannot log in ${options.userId}: no password and no stored session`
        : `${options.userId}: the crypto store of device ${previousDeviceId} is lost and no password is configured to log in a new device`,
    );
  }
  const loginClient = createClient({ baseUrl: options.homeserverUrl, logger: sdkLogger(options.logger) });
  const response = await loginClient.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: options.userId },
    password: options.password,
    initial_device_display_name: options.deviceDisplayName ?? "Haven bot",
  });
  return {
    homeserverUrl: options.homeserverUrl,
    userId: response.user_id,
    deviceId: response.device_id,
    accessToken: response.access_token,
  };
}

async function sessionFromToken(options: BotClientOptions, accessToken: string): Promise<BotSession> {
  const probe = createClient({ baseUrl: options.homeserverUrl, accessToken, logger: sdkLogger(options.logger) });
  const whoami = await probe.whoami();
  if (whoami.user_id !== options.userId || whoami.device_id === undefined) {
    throw new BotClientError(`access token for ${options.userId} belongs to ${whoami.user_id} or has no device`);
  }
  return { homeserverUrl: options.homeserverUrl, userId: whoami.user_id, deviceId: whoami.device_id, accessToken };
}

/** Long enough for the handlers still at work on a room's last events when the bot left it. */
const leftRoomGraceMs = 60_000;

function storePrefix(userId: string): string {
  return `haven-${createHash("sha256").update(userId).digest("hex").slice(0, 16)}`;
}

/**
 * Finds or creates this bot's session and crypto store. A session whose crypto store is gone must not be reused:
 * the server still holds one-time keys the store no longer has ("One time key already exists" for ever after).
 */
async function openSession(
  options: BotClientOptions,
  persister: CryptoPersister,
  files: ReturnType<typeof botFiles>,
): Promise<{ session: BotSession; hadStore: boolean }> {
  const stored = await readSession(files.session, options.storageKey);
  const hadStore = await persister.restore();
  if (stored && hadStore) return { session: stored, hadStore };
  if (stored && !hadStore)
    options.logger.warn({ deviceId: stored.deviceId }, "crypto store missing; logging in a new device");
  const session =
    !stored && options.accessToken !== undefined && !hadStore
      ? await sessionFromToken(options, options.accessToken)
      : await login(options, stored?.deviceId);
  if (hadStore) await persister.forget();
  await writeSession(files.session, session, options.storageKey);
  return { session, hadStore: false };
}

async function loadRecoveryKey(options: BotClientOptions, path: string): Promise<string | undefined> {
  if (options.recoveryKey !== undefined) return options.recoveryKey;
  return (await readSealedFile(path, options.storageKey, "recovery key"))?.toString("utf8");
}

async function setUpCrossSigningAndBackup(
  client: MatrixClient,
  options: BotClientOptions,
  recovery: { key: string | undefined; path: string },
): Promise<void> {
  const crypto = client.getCrypto();
  if (!crypto) throw new BotClientError("crypto did not start");
  await crypto.bootstrapCrossSigning({
    authUploadDeviceSigningKeys: async (makeRequest) => {
      if (options.password === undefined) {
        throw new BotClientError(`${options.userId}: the server asks for a password to upload cross-signing keys`);
      }
      await makeRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: options.userId },
        password: options.password,
      });
    },
  });
  if (!(await crypto.isSecretStorageReady())) {
    await crypto.bootstrapSecretStorage({
      createSecretStorageKey: async () => {
        const generated = await crypto.createRecoveryKeyFromPassphrase();
        if (generated.encodedPrivateKey === undefined) throw new BotClientError("no recovery key was generated");
        recovery.key = generated.encodedPrivateKey;
        await writeSealedFile(recovery.path, Buffer.from(recovery.key), options.storageKey, "recovery key");
        return generated;
      },
      setupNewKeyBackup: true,
    });
  }
  await crypto.checkKeyBackupAndEnable();
  if (await crypto.isDehydrationSupported()) await crypto.startDehydration({ rehydrate: true });
}

function waitForFirstSync(client: MatrixClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSync = (state: SyncState, _previous: SyncState | null, data?: { error?: Error }): void => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) {
        client.off(ClientEvent.Sync, onSync);
        resolve();
      } else if (state === SyncState.Error && data?.error && "httpStatus" in data.error) {
        const status = (data.error as { httpStatus?: number }).httpStatus;
        if (status === 401 || status === 403) {
          client.off(ClientEvent.Sync, onSync);
          reject(new BotClientError(`sync refused (${status}): the bot's login is no longer valid`));
        }
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
}

/**
 * A logged-in, cross-signed bot device with a crypto store that survives crashes: the same device after a
 * restart, able to decrypt what was sent to it before, during and after its downtime.
 */
export async function startBotClient(options: BotClientOptions): Promise<BotClient> {
  const files = botFiles(options.stateDir);
  const persister = new CryptoPersister({
    prefix: storePrefix(options.userId),
    path: files.cryptoStore,
    storageKey: options.storageKey,
  });
  const { session } = await openSession(options, persister, files);
  options.onStage?.("session");
  const recovery = { key: await loadRecoveryKey(options, files.recoveryKey), path: files.recoveryKey };

  const clientOptions: ICreateClientOpts = {
    baseUrl: session.homeserverUrl,
    userId: session.userId,
    deviceId: session.deviceId,
    accessToken: session.accessToken,
    store: new MemoryStore(),
    scheduler: perRoomScheduler(),
    timelineSupport: true,
    fetchFn: persistingFetch(persister),
    logger: sdkLogger(options.logger),
    cryptoCallbacks: {
      getSecretStorageKey: async ({ keys }) => {
        const keyId = Object.keys(keys)[0];
        if (keyId === undefined || recovery.key === undefined) return null;
        return [keyId, decodeRecoveryKey(recovery.key)];
      },
    },
  };
  const client = createClient(clientOptions);
  try {
    await client.initRustCrypto({
      useIndexedDB: true,
      cryptoDatabasePrefix: persister.prefix,
      storageKey: options.storageKey,
    });
    await persister.flushIfChanged();
    options.onStage?.("crypto");
    const firstSync = waitForFirstSync(client);
    await client.startClient({ initialSyncLimit: options.initialSyncLimit ?? 50, lazyLoadMembers: false });
    await firstSync;
    options.onStage?.("synced");
    await setUpCrossSigningAndBackup(client, options, recovery);
    await persister.flushIfChanged();
    options.onStage?.("cross-signed");
  } catch (error) {
    client.stopClient();
    await persister.flushIfChanged().catch(() => undefined);
    await persister.forget();
    throw error;
  }
  options.logger.info({ userId: session.userId, deviceId: session.deviceId }, "bot device ready");
  const leftRooms = forgetLeftRooms(client, { graceMs: leftRoomGraceMs, logger: options.logger });

  return {
    client,
    userId: session.userId,
    deviceId: session.deviceId,
    persister,
    leftRooms,
    async stop() {
      leftRooms.stop();
      client.stopClient();
      await persister.flushIfChanged();
      // The WASM crypto lets go of its in-memory databases only when garbage-collected, and deleting them waits
      // for that: do not hold the stop on it. The state is on disk; a later start in this process clears leftovers.
      void persister
        .forget()
        .catch((error: unknown) => options.logger.debug({ err: error }, "in-memory store not freed"));
    },
  };
}
