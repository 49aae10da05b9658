import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createLogger } from "../../core/log/logger.ts";
import type { LogLevel } from "../../core/log/levels.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventType, MsgType } from "matrix-js-sdk";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import { answerInvites } from "../../core/matrix/invites.ts";
import { startRoomEventStream, type RoomEventStream } from "../../core/matrix/room-event-stream.ts";
import { botFiles, botStateDir } from "../../core/matrix/bot-files.ts";
import { startFederation, type Federation, type RegisteredUser } from "../harness/synapse.ts";
import { readSealedFile } from "../../core/matrix/sealed-file.ts";
import {
  createEncryptedRoom,
  joinWhenInvited,
  loginAs,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { memoryLedger } from "../harness/memory-ledger.ts";
import { startTestBot } from "../harness/test-bot.ts";

const logger = createLogger((process.env["LOG_LEVEL"] ?? "warn") as LogLevel);

describe("three federating homeservers and an encrypted Haven bot", () => {
  let federation: Federation;
  let dataDir: string;
  const clients: TestClient[] = [];
  let bot: BotClient | undefined;
  let stream: RoomEventStream | undefined;
  let account: RegisteredUser;
  const storageKey = randomBytes(32);

  beforeAll(async () => {
    federation = await startFederation();
    dataDir = await mkdtemp(join(tmpdir(), "haven-data-"));
  });

  afterAll(async () => {
    await stream?.stop();
    await bot?.stop();
    await Promise.all(clients.map((c) => c.stop()));
    await federation?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts a hub and two partners that federate with each other only", () => {
    expect(federation.servers.map((s) => s.name)).toEqual(["hub", "partner-a", "partner-b"]);
    expect(new Set(federation.servers.map((s) => s.serverName)).size).toBe(3);
  });

  it("lets two people on different servers exchange an encrypted message", async () => {
    const alice = await startTestClient(federation.server("hub"));
    const bob = await startTestClient(federation.server("partner-a"));
    clients.push(alice, bob);
    const roomId = await createEncryptedRoom(alice.client, [bob.user.userId]);
    await joinWhenInvited(bob.client, roomId);
    const bobSees = new TimelineRecorder(bob.client, roomId);
    await alice.client.sendTextMessage(roomId, "hello across federation");
    await bobSees.waitFor("alice's message", () => bobSees.messages(alice.user.userId).length === 1);
    const [message] = bobSees.messages(alice.user.userId);
    expect(message!.isEncrypted()).toBe(true);
    expect(message!.getContent().body).toBe("hello across federation");
    bobSees.stop();
  });

  it("runs a cross-signed bot that joins an encrypted room over federation, decrypts and replies encrypted", async () => {
    ({ bot, account } = await startTestBot(federation.server("hub"), "haven-echo", dataDir, logger, storageKey));
    answerInvites(bot.client, () => "join", logger);
    const echoBot = bot;
    stream = startRoomEventStream({
      client: bot.client,
      ledger: memoryLedger(),
      logger,
      handler: async ({ event, room }) => {
        if (event.getType() !== (EventType.RoomMessage as string) || event.getSender() === echoBot.userId) return;
        await echoBot.client.sendMessage(room.roomId, {
          msgtype: MsgType.Notice,
          body: `echo: ${event.getContent<{ body: string }>().body}`,
        });
      },
    });

    const partner = await startTestClient(federation.server("partner-b"));
    clients.push(partner);
    const roomId = await createEncryptedRoom(partner.client, [bot.userId]);
    await waitForMembership(partner.client, roomId, bot.userId, "join");
    const seen = new TimelineRecorder(partner.client, roomId);
    await partner.client.sendTextMessage(roomId, "are you there?");
    await seen.waitFor("the bot's reply", () => seen.messages(bot!.userId).length === 1);
    const [reply] = seen.messages(bot.userId);
    expect(reply!.isEncrypted()).toBe(true);
    expect(reply!.getContent().body).toBe("echo: are you there?");

    seen.stop();
  });

  it("forgets a room it was removed from a minute later: nothing of it stays in the bot's memory", async () => {
    const partner = clients.at(-1)!;
    const roomId = await createEncryptedRoom(partner.client, [bot!.userId]);
    await waitForMembership(partner.client, roomId, bot!.userId, "join");
    const seen = new TimelineRecorder(partner.client, roomId);
    await partner.client.sendTextMessage(roomId, "words that must not outlive the room");
    await seen.waitFor("the bot's reply", () => seen.messages(bot!.userId).length === 1);
    seen.stop();
    expect(bot!.client.getRoom(roomId)?.getLiveTimeline().getEvents().length).toBeGreaterThan(0);

    await partner.client.kick(roomId, bot!.userId);
    await waitForMembership(bot!.client, roomId, bot!.userId, "leave");
    expect(await bot!.leftRooms.sweep()).toBe(0);
    expect(bot!.client.getRoom(roomId)).not.toBeNull();
    expect(await bot!.leftRooms.sweep(Date.now() + 61_000)).toBe(1);
    expect(bot!.client.getRoom(roomId)).toBeNull();
    expect(bot!.client.getRooms().map((room) => room.roomId)).not.toContain(roomId);
  });

  it("has cross-signed the bot's device: signed by its owner for others, verified for the owner's other sessions", async () => {
    const partnerCrypto = clients.at(-1)!.client.getCrypto()!;
    await partnerCrypto.getUserDeviceInfo([bot!.userId], true);
    const seenByPartner = await partnerCrypto.getDeviceVerificationStatus(bot!.userId, bot!.deviceId);
    expect(seenByPartner?.signedByOwner).toBe(true);

    const recoveryKey = await readSealedFile(
      botFiles(botStateDir(dataDir, bot!.userId)).recoveryKey,
      storageKey,
      "recovery key",
    );
    expect(recoveryKey).toBeDefined();
    const operator = await startTestClient(federation.server("hub"), await loginAs(federation.server("hub"), account), {
      recoveryKey: recoveryKey!.toString("utf8"),
    });
    clients.push(operator);
    const operatorCrypto = operator.client.getCrypto()!;
    await operatorCrypto.getUserDeviceInfo([bot!.userId], true);
    await operatorCrypto.bootstrapCrossSigning({});
    expect(await operatorCrypto.getCrossSigningStatus()).toMatchObject({
      privateKeysCachedLocally: { masterKey: true },
    });
    const seenByOwner = await operatorCrypto.getDeviceVerificationStatus(bot!.userId, bot!.deviceId);
    expect(seenByOwner?.crossSigningVerified).toBe(true);
  });
});
