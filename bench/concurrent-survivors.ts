// Scenario 4 (with scenario 7's sampling): N survivors at once, half on the hub and half on partner B, each
// completing an intake and then exchanging messages with the responder of NGO-A (partner A) through Haven.
// The same survivors and the same responder first exchange the same number of messages in plain encrypted
// rooms with each other (no Haven), so relayed messages/s stand next to raw Synapse messages/s for the same
// number of rooms, clients and servers, in the same run. Every message is counted at the end: lost,
// duplicated, out of order or undecryptable messages fail the run.
import { readdirSync, readFileSync } from "node:fs";
import { ClientEvent, RoomEvent, type MatrixClient, type Room } from "matrix-js-sdk";
import {
  createEncryptedRoom,
  joinOnceTheHubHasTheInvite,
  nextInvite,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../test/harness/clients.ts";
import { giveConsent, triageUpToConsent } from "../test/harness/haven-setup.ts";
import { openHavenDatabase } from "../test/harness/haven-database.ts";
import { Survivor } from "../test/harness/survivor.ts";
import type { Federation } from "../test/harness/synapse.ts";
import { translate } from "../core/i18n/translate.ts";
import { sampleProcess, type UsageSample } from "./process-usage.ts";
import { addDeliveries, countDelivery, type DeliveryCount } from "./delivery-count.ts";

export interface ConcurrentWorld {
  readonly federation: Federation;
  readonly dataDir: string;
  readonly intakeUserId: string;
  /** NGO-A's only responder, on partner A; claims every case. */
  readonly responder: TestClient;
  readonly queueRoomId: string;
  readonly havenPid: number;
  /** Keeps track of clients and recorders so the caller stops them. */
  readonly people: TestClient[];
  readonly recorders: TimelineRecorder[];
}

export interface ConcurrentSizes {
  readonly survivors: number;
  /** Rounds per conversation: her message, then the responder's answer (so 2 × rounds messages). */
  readonly rounds: number;
}

export interface Exchange {
  readonly wallMs: number;
  readonly messages: number;
  readonly messagesPerSecond: number;
  /** Each message's send → decrypted by the other side, while every conversation runs at once. */
  readonly latenciesMs: number[];
  readonly delivery: DeliveryCount;
  /** Conversations that stopped early (a message not delivered within the time limit). */
  readonly stalled: number;
}

export interface ConcurrentResults {
  readonly survivors: number;
  readonly rounds: number;
  readonly raw: Exchange;
  readonly relay: Exchange;
  /** Her first triage answer → her case code, every intake at once. */
  readonly intakeMs: number[];
  /** Her case code → her case room joined and the case active (offer, claim, org room, invites). */
  readonly codeToActiveMs: number[];
  readonly usage: { readonly haven: UsageSample[]; readonly bench: UsageSample[]; readonly hub: UsageSample[] };
}

const DELIVERY_TIMEOUT_MS = 180_000;
/** A stage that waits on every survivor at once (intake answers, claims, case rooms) is given time by its size. */
const stageTimeoutMs = (survivors: number): number => Math.max(DELIVERY_TIMEOUT_MS, survivors * 3_000);
const replyTimeoutMs = (survivors: number): number => Math.max(30_000, survivors * 1_000);
const bodies = (recorder: TimelineRecorder, from: string): string[] =>
  recorder.messages(from).map((e) => String(e.getContent().body));

/** Runs `work` over items with at most `limit` in flight. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

/** One side of a conversation: how to send message i, and how the other side recognises it once decrypted. */
interface Leg {
  send(i: number): Promise<unknown>;
  readonly receiver: TimelineRecorder;
  readonly receiverClient: MatrixClient;
  readonly roomId: string;
  readonly from: string;
  text(i: number): string;
}

interface Conversation {
  readonly her: Leg;
  readonly reply: Leg;
}

function undecryptable(client: MatrixClient, roomId: string): number {
  const events = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  return events.filter((e) => e.isDecryptionFailure()).length;
}

/** Every conversation at once, each a ping-pong of `rounds`; then every leg counted. */
async function exchange(conversations: readonly Conversation[], rounds: number): Promise<Exchange> {
  const latenciesMs: number[] = [];
  const deliver = async (leg: Leg, i: number): Promise<void> => {
    const start = performance.now();
    await leg.send(i);
    const text = leg.text(i);
    await leg.receiver.waitFor(
      `"${text}" delivered`,
      () => bodies(leg.receiver, leg.from).includes(text),
      DELIVERY_TIMEOUT_MS,
    );
    latenciesMs.push(performance.now() - start);
  };
  const start = performance.now();
  const outcomes = await Promise.allSettled(
    conversations.map(async (c) => {
      for (let i = 0; i < rounds; i++) {
        await deliver(c.her, i);
        await deliver(c.reply, i);
      }
    }),
  );
  const wallMs = performance.now() - start;
  const expected = Array.from({ length: rounds }, (_, i) => i);
  const counts = conversations.flatMap((c) =>
    [c.her, c.reply].map((leg) =>
      countDelivery(
        expected.map((i) => leg.text(i)),
        bodies(leg.receiver, leg.from),
        undecryptable(leg.receiverClient, leg.roomId),
      ),
    ),
  );
  const delivery = addDeliveries(counts);
  return {
    wallMs: Math.round(wallMs),
    messages: delivery.delivered,
    messagesPerSecond: Math.round((delivery.delivered / (wallMs / 1000)) * 100) / 100,
    latenciesMs,
    delivery,
    stalled: outcomes.filter((o) => o.status === "rejected").length,
  };
}

/** The responder joins every org-side room the bridge invites her to ("Case <code>"), whatever order they come in. */
function joinCaseRoomsAsInvited(responder: TestClient): { rooms: Map<string, string>; stop: () => void } {
  const rooms = new Map<string, string>();
  const joining = new Set<string>();
  const check = (): void => {
    for (const room of responder.client.getRooms()) {
      if (room.getMyMembership() !== "invite" || joining.has(room.roomId)) continue;
      const code = /^Case (\S+)$/.exec(room.name)?.[1];
      if (code === undefined) continue;
      joining.add(room.roomId);
      void joinOnceTheHubHasTheInvite(responder, room.roomId).then(
        () => rooms.set(code, room.roomId),
        () => joining.delete(room.roomId),
      );
    }
  };
  const onRoom = (_room: Room): void => check();
  responder.client.on(ClientEvent.Room, onRoom);
  responder.client.on(RoomEvent.MyMembership, onRoom);
  responder.client.on(RoomEvent.Name, onRoom);
  check();
  return {
    rooms,
    stop() {
      responder.client.off(ClientEvent.Room, onRoom);
      responder.client.off(RoomEvent.MyMembership, onRoom);
      responder.client.off(RoomEvent.Name, onRoom);
    },
  };
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function findHubSynapsePid(hubDir: string): number | undefined {
  // The hub's Synapse is the process whose command line names its directory (read-only look at /proc).
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(hubDir) && cmdline.includes("synapse")) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

export async function benchConcurrentSurvivors(
  world: ConcurrentWorld,
  sizes: ConcurrentSizes,
  log: (line: string) => void,
): Promise<ConcurrentResults> {
  const { federation, responder, intakeUserId } = world;
  const a1 = responder.user.userId;
  const homes = [federation.server("hub"), federation.server("partner-b")];

  log(`scenario 4: ${sizes.survivors} survivors open a chat with the intake bot`);
  const survivors = await inBatches(
    Array.from({ length: sizes.survivors }, (_, i) => i),
    8,
    async (i) => {
      const survivor = await Survivor.open(homes[i % homes.length]!, intakeUserId, replyTimeoutMs(sizes.survivors));
      world.people.push(survivor.person);
      world.recorders.push(survivor.dm);
      return survivor;
    },
  );

  log("scenario 4: raw baseline, the same clients in plain encrypted rooms with the responder");
  const rawRooms = await inBatches(survivors, 8, async (survivor) => {
    const roomId = await createEncryptedRoom(survivor.person.client, [a1]);
    await waitForMembership(responder.client, roomId, a1, "invite", 60_000);
    await joinOnceTheHubHasTheInvite(responder, roomId);
    await waitForMembership(survivor.person.client, roomId, a1, "join", 60_000);
    return roomId;
  });
  const rawConversations = survivors.map((survivor, n): Conversation => {
    const roomId = rawRooms[n]!;
    const atResponder = new TimelineRecorder(responder.client, roomId);
    const atHer = new TimelineRecorder(survivor.person.client, roomId);
    world.recorders.push(atResponder, atHer);
    return {
      her: {
        send: (i) => survivor.person.client.sendTextMessage(roomId, `x${n}-${i}`),
        receiver: atResponder,
        receiverClient: responder.client,
        roomId,
        from: survivor.userId,
        text: (i) => `x${n}-${i}`,
      },
      reply: {
        send: (i) => responder.client.sendTextMessage(roomId, `y${n}-${i}`),
        receiver: atHer,
        receiverClient: survivor.person.client,
        roomId,
        from: a1,
        text: (i) => `y${n}-${i}`,
      },
    };
  });
  const raw = await exchange(rawConversations, sizes.rounds);
  log(`scenario 4: raw ${raw.messages} messages in ${raw.wallMs} ms`);

  const hubPid = findHubSynapsePid(federation.server("hub").dir);
  const samplers = {
    haven: sampleProcess(world.havenPid),
    bench: sampleProcess(process.pid),
    hub: hubPid === undefined ? undefined : sampleProcess(hubPid),
  };
  const database = await openHavenDatabase(world.dataDir);
  const invites = joinCaseRoomsAsInvited(responder);
  try {
    log(`scenario 4: ${sizes.survivors} intakes at once`);
    const intakeMs: number[] = [];
    const codes = await Promise.all(
      survivors.map(async (survivor) => {
        const start = performance.now();
        await triageUpToConsent(survivor);
        const code = await giveConsent(survivor);
        intakeMs.push(performance.now() - start);
        return { code, at: performance.now() };
      }),
    );

    log("scenario 4: the responder claims every offer");
    const claimed = new Set<string>();
    const ours = new Set(codes.map((c) => c.code));
    await until(
      "every case offered to NGO-A and claimed",
      async () => {
        const posted = await database.db
          .selectFrom("offers")
          .select("case_id")
          .where("org_id", "=", "ngo-a")
          .where("event_id", "is not", null)
          .where("status", "=", "open")
          .execute();
        for (const { case_id: code } of posted) {
          if (!ours.has(code) || claimed.has(code)) continue;
          claimed.add(code);
          await responder.client.sendTextMessage(world.queueRoomId, `!claim ${code}`);
        }
        return claimed.size === ours.size;
      },
      stageTimeoutMs(sizes.survivors),
    );

    const codeToActiveMs: number[] = [];
    const taken = translate("en", "bridge.caseTaken", { org: "NGO-A" });
    const caseRooms = await Promise.all(
      survivors.map(async (survivor, n) => {
        const her = survivor.person;
        const caseRoomId = await nextInvite(her, [survivor.roomId, rawRooms[n]!], stageTimeoutMs(sizes.survivors));
        await joinOnceTheHubHasTheInvite(her, caseRoomId);
        const herRoom = new TimelineRecorder(her.client, caseRoomId);
        world.recorders.push(herRoom);
        await herRoom.waitFor(
          "she is told who has her case",
          () => bodies(herRoom, intakeUserId).includes(taken),
          stageTimeoutMs(sizes.survivors),
        );
        return { caseRoomId, herRoom };
      }),
    );
    await until(
      "every case active",
      async () => {
        const active = await database.db
          .selectFrom("cases")
          .select(["id", "updated_at"])
          .where("state", "=", "active")
          .where("id", "in", [...ours])
          .execute();
        return active.length === ours.size && codes.every((c) => invites.rooms.has(c.code));
      },
      stageTimeoutMs(sizes.survivors),
    );
    const active = performance.now();
    for (const { at } of codes) codeToActiveMs.push(active - at);

    log(`scenario 4: ${sizes.survivors} conversations through Haven at once`);
    const relayConversations = survivors.map((survivor, n): Conversation => {
      const { code } = codes[n]!;
      const orgRoomId = invites.rooms.get(code)!;
      const { caseRoomId, herRoom } = caseRooms[n]!;
      const atResponder = new TimelineRecorder(responder.client, orgRoomId);
      world.recorders.push(atResponder);
      return {
        her: {
          send: (i) => survivor.person.client.sendTextMessage(caseRoomId, `s${i}`),
          receiver: atResponder,
          receiverClient: responder.client,
          roomId: orgRoomId,
          from: intakeUserId,
          text: (i) => `Case ${code}: s${i}`,
        },
        reply: {
          send: (i) => responder.client.sendTextMessage(orgRoomId, `r${i}`),
          receiver: herRoom,
          receiverClient: survivor.person.client,
          roomId: caseRoomId,
          from: intakeUserId,
          text: (i) => `NGO-A counsellor: r${i}`,
        },
      };
    });
    const relay = await exchange(relayConversations, sizes.rounds);
    log(`scenario 4: relayed ${relay.messages} messages in ${relay.wallMs} ms`);
    return {
      survivors: sizes.survivors,
      rounds: sizes.rounds,
      raw,
      relay,
      intakeMs,
      codeToActiveMs,
      usage: { haven: samplers.haven.stop(), bench: samplers.bench.stop(), hub: samplers.hub?.stop() ?? [] },
    };
  } finally {
    samplers.haven.stop();
    samplers.bench.stop();
    samplers.hub?.stop();
    invites.stop();
    await database.close();
  }
}
