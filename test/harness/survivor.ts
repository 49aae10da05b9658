import type { MatrixEvent } from "matrix-js-sdk";
import {
  createEncryptedRoom,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "./clients.ts";
import type { Homeserver } from "./synapse.ts";

/**
 * A survivor's phone in a test: a Matrix client with an encrypted DM to the intake bot, and a way to write
 * and wait for the bot's answer.
 */
export class Survivor {
  readonly person: TestClient;
  readonly botUserId: string;
  readonly roomId: string;
  readonly dm: TimelineRecorder;
  /** How long to wait for each answer of the bot (a benchmark with hundreds of intakes at once waits longer). */
  private readonly replyTimeoutMs: number;

  private constructor(person: TestClient, botUserId: string, roomId: string, replyTimeoutMs: number) {
    this.person = person;
    this.botUserId = botUserId;
    this.roomId = roomId;
    this.dm = new TimelineRecorder(person.client, roomId);
    this.replyTimeoutMs = replyTimeoutMs;
  }

  /** The default wait outlasts the intake bot's wait for a late room key (30 s), so that its answer is seen. */
  static async open(server: Homeserver, botUserId: string, replyTimeoutMs = 45_000): Promise<Survivor> {
    const person = await startTestClient(server);
    const roomId = await createEncryptedRoom(person.client, [botUserId]);
    await waitForMembership(person.client, roomId, botUserId, "join");
    return new Survivor(person, botUserId, roomId, replyTimeoutMs);
  }

  get userId(): string {
    return this.person.user.userId;
  }

  /** Every text the bot has sent in the DM, in order. */
  botTexts(): string[] {
    return this.dm.messages(this.botUserId).map((e) => String(e.getContent().body));
  }

  /** Waits until the bot has sent at least `count` messages in total, and returns them all. */
  async waitForBotMessages(count: number, description: string): Promise<string[]> {
    await this.dm.waitFor(description, () => this.dm.messages(this.botUserId).length >= count, this.replyTimeoutMs);
    return this.botTexts();
  }

  /**
   * Writes `text` and waits until the bot's newest message matches `until` (its last message of the turn).
   * Returns the bot's messages sent after hers.
   */
  async say(text: string, until: RegExp | string): Promise<string[]> {
    const before = this.botTexts().length;
    await this.person.client.sendTextMessage(this.roomId, text);
    return this.waitForReply(before, until, `a reply to "${text.slice(0, 40)}" matching ${String(until)}`);
  }

  async sendContent(
    content: Record<string, unknown>,
    until: RegExp | string,
    type = "m.room.message",
  ): Promise<string[]> {
    const before = this.botTexts().length;
    await this.person.client.sendEvent(this.roomId, type as never, content as never);
    return this.waitForReply(before, until, `a reply to a ${type} matching ${String(until)}`);
  }

  async waitForReply(before: number, until: RegExp | string, description: string): Promise<string[]> {
    const matches = (body: string | undefined): boolean =>
      body !== undefined && (typeof until === "string" ? body.includes(until) : until.test(body));
    try {
      await this.dm.waitFor(description, () => this.botTexts().slice(before).some(matches), this.replyTimeoutMs);
    } catch (error) {
      // What did come instead (the bot's words only): "could not read your message" points at a late room key.
      const got = this.botTexts().slice(before);
      throw new Error(`${(error as Error).message}; the bot said meanwhile: ${JSON.stringify(got)}`, { cause: error });
    }
    return this.botTexts().slice(before);
  }

  botEvents(): MatrixEvent[] {
    return this.dm.messages(this.botUserId);
  }

  async stop(): Promise<void> {
    this.dm.stop();
    await this.person.stop();
  }
}
