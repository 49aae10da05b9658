import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotProcess } from "../harness/bot-process.ts";
import {
  createEncryptedRoom,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";

/**
 * The bot is killed with SIGKILL at several points while a partner keeps writing, with fresh room keys
 * (to-device messages) in flight around each kill. Afterwards every message must have been decrypted and
 * answered exactly once, by the same device.
 */
describe("crash safety of a bot's encrypted session", () => {
  let federation: Federation;
  let dataDir: string;
  let partner: TestClient;
  let bot: BotProcess;

  beforeAll(async () => {
    federation = await startFederation({ names: ["hub", "partner-a"] });
    dataDir = await mkdtemp(join(tmpdir(), "haven-crash-"));
  });

  afterAll(async () => {
    await bot?.stop();
    await partner?.stop();
    await federation?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  // Seven restarts of a bot process: about a minute alone, several on a loaded 2-core machine.
  it(
    "keeps its device and decrypts and answers every message across repeated kill -9",
    { timeout: 300_000 },
    async () => {
      const hub = federation.server("hub");
      const account = await hub.registerUser("haven-echo");
      bot = new BotProcess("test/fixtures/echo-bot.ts", {
        ECHO_DATA_DIR: dataDir,
        ECHO_USER_ID: account.userId,
        ECHO_PASSWORD: account.password,
        ECHO_HOMESERVER_URL: hub.clientUrl,
      });
      const firstDevice = await bot.start().ready;
      const devices = [firstDevice];
      const restart = async (): Promise<void> => {
        devices.push(await bot.start().ready);
      };

      partner = await startTestClient(federation.server("partner-a"));
      const roomId = await createEncryptedRoom(partner.client, [account.userId]);
      await waitForMembership(partner.client, roomId, account.userId, "join");
      const seen = new TimelineRecorder(partner.client, roomId);
      const crypto = partner.client.getCrypto()!;
      const sent: string[] = [];
      const send = async (body: string): Promise<void> => {
        sent.push(body);
        await partner.client.sendTextMessage(roomId, body);
      };
      const echoes = (): string[] => seen.messages(account.userId).map((e) => String(e.getContent().body));
      const allAnswered = (): boolean => sent.every((body) => echoes().includes(`echo: ${body}`));
      const waitForAllAnswers = (label: string): Promise<void> =>
        seen.waitFor(`echoes of every message (${label})`, allAnswered, 60_000);

      // 1. Killed while idle; new room key and messages sent while down.
      await send("idle-1");
      await send("idle-2");
      await waitForAllAnswers("before the first kill");
      await bot.kill();
      await crypto.forceDiscardSession(roomId);
      await send("down-1a");
      await send("down-1b");
      await restart();
      await waitForAllAnswers("after kill 1");

      // 2. Killed right as a message with a fresh room key is sent.
      await crypto.forceDiscardSession(roomId);
      const inFlight = send("at-kill-2");
      await bot.kill();
      await inFlight;
      await send("down-2");
      await restart();
      await waitForAllAnswers("after kill 2");

      // 3. Killed in the middle of a burst, as soon as the first answer of the burst arrives.
      await crypto.forceDiscardSession(roomId);
      for (let i = 1; i <= 6; i++) await send(`burst-3-${i}`);
      await seen.waitFor("the first answer of the burst", () => echoes().includes("echo: burst-3-1"));
      await bot.kill();
      await crypto.forceDiscardSession(roomId);
      for (let i = 7; i <= 9; i++) await send(`burst-3-${i}`);
      await restart();
      await waitForAllAnswers("after kill 3");

      // 4. Killed just after it reported ready, while it may still be catching up on what came while it was down.
      await bot.kill();
      await crypto.forceDiscardSession(roomId);
      await send("down-4a");
      await send("down-4b");
      await restart();
      await bot.kill();
      await send("down-4c");
      await restart();
      await waitForAllAnswers("after kill 4");

      // 5. Killed twice during start-up: with its store restored but before the first sync, then right after the
      //    first sync (room keys received, sync token not yet moved on), before cross-signing checks.
      await bot.kill();
      await crypto.forceDiscardSession(roomId);
      await send("down-5a");
      await bot.start().reached("stage crypto");
      await bot.kill();
      await crypto.forceDiscardSession(roomId);
      await send("down-5b");
      await bot.start().reached("stage synced");
      await bot.kill();
      await send("down-5c");
      await restart();
      await waitForAllAnswers("after kill 5");

      // 6. Killed while it answers a burst sent with yet another fresh key.
      await crypto.forceDiscardSession(roomId);
      const burst = (async () => {
        for (let i = 1; i <= 8; i++) await send(`burst-6-${i}`);
      })();
      await seen.waitFor("an answer to burst 6", () => echoes().some((e) => e.startsWith("echo: burst-6-")));
      await bot.kill();
      await burst;
      await restart();
      await waitForAllAnswers("after kill 6");

      expect(new Set(devices)).toEqual(new Set([firstDevice]));
      expect(bot.stdoutLines.filter((line) => line.startsWith("undecryptable"))).toEqual([]);
      const answers = echoes();
      for (const body of sent) expect(answers.filter((a) => a === `echo: ${body}`)).toHaveLength(1);
      expect(answers).toHaveLength(sent.length);
      expect(seen.messages(account.userId).every((e) => e.isEncrypted())).toBe(true);
      seen.stop();
    },
  );
});
