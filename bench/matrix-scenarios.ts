// The Matrix scenarios of `npm run bench`: a hub and two partner Synapse servers and a Haven process, started
// here, and three measurements in one run so each ratio compares like with like on the same noisy machine:
// 1. baseline: two plain matrix-js-sdk clients in an encrypted room across federation (hub ↔ partner A);
// 2. relay: a survivor on the hub ↔ a responder on partner A through Haven's bridge (two sends + a decrypt);
// 3. intake → offer: a survivor's last triage answer → the offer decrypted in org A's queue room;
// then, in the same federation, scenario 4 (concurrent-survivors.ts) and scenario 6 (retention-sweep.ts).
// Latency is from the sender's call to send until the receiving client has the decrypted event.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createEncryptedRoom,
  joinOnceTheHubHasTheInvite,
  joinWhenInvited,
  nextInvite,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../test/harness/clients.ts";
import { giveConsent, havenSetup, partnerOrganisation, triageUpToConsent } from "../test/harness/haven-setup.ts";
import { Survivor } from "../test/harness/survivor.ts";
import { startFederation } from "../test/harness/synapse.ts";
import { translate } from "../core/i18n/translate.ts";
import { benchConcurrentSurvivors, type ConcurrentResults, type ConcurrentSizes } from "./concurrent-survivors.ts";
import { memorySnapshotNodeOptions, snapshotMemory } from "./memory-snapshot.ts";
import { benchRetentionSweep, type SweepResults, type SweepSizes } from "./retention-sweep.ts";

export interface MatrixSizes {
  /** Messages each way per latency scenario, after the warm-up. */
  readonly messages: number;
  /** First messages of a room not counted: they carry the Megolm session set-up, reported apart. */
  readonly warmup: number;
  readonly intakes: number;
  readonly concurrent: ConcurrentSizes;
  readonly sweep: SweepSizes;
}

export interface MatrixSamples {
  readonly havenStartToReadyMs: number;
  readonly baseline: { readonly hubToPartner: number[]; readonly partnerToHub: number[]; readonly warmup: number[] };
  readonly relay: {
    readonly survivorToResponder: number[];
    readonly responderToSurvivor: number[];
    readonly warmup: number[];
  };
  readonly intakeToOffer: number[];
  readonly concurrent: ConcurrentResults;
  /** Undefined when the run was asked for no rooms (`--sweep-rooms=0`, for development). */
  readonly sweep: SweepResults | undefined;
}

const bodies = (recorder: TimelineRecorder, from: string): string[] =>
  recorder.messages(from).map((e) => String(e.getContent().body));

/** SIGTERM, then wait until the process is gone: a clean exit, so that `--cpu-prof` writes its profile. */
async function stopCleanly(pid: number): Promise<void> {
  process.kill(pid, "SIGTERM");
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 60_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Sends, then waits until the receiving side has decrypted `expected`; returns the milliseconds between. */
async function timedDelivery(
  send: () => Promise<unknown>,
  receiver: TimelineRecorder,
  from: string,
  expected: string,
): Promise<number> {
  const start = performance.now();
  await send();
  await receiver.waitFor(`"${expected}" delivered`, () => bodies(receiver, from).includes(expected), 60_000);
  return performance.now() - start;
}

export async function benchMatrix(sizes: MatrixSizes, log: (line: string) => void): Promise<MatrixSamples> {
  const federation = await startFederation();
  const dir = await mkdtemp(join(tmpdir(), "haven-bench-"));
  const people: TestClient[] = [];
  const recorders: TimelineRecorder[] = [];
  const record = (client: TestClient, roomId: string): TimelineRecorder => {
    const recorder = new TimelineRecorder(client.client, roomId);
    recorders.push(recorder);
    return recorder;
  };
  let stopHaven = async (): Promise<void> => undefined;
  let havenOutput = (): string => "";
  try {
    const a1 = await federation.server("partner-a").registerUser("a1");
    const b1 = await federation.server("partner-b").registerUser("b1");
    const responder = await startTestClient(federation.server("partner-a"), a1);
    people.push(responder);

    log("scenario 1: baseline, two plain clients across federation");
    const friend = await startTestClient(federation.server("hub"));
    people.push(friend);
    const plainRoom = await createEncryptedRoom(friend.client, [a1.userId]);
    await joinWhenInvited(responder.client, plainRoom);
    await waitForMembership(friend.client, plainRoom, a1.userId, "join");
    const atResponder = record(responder, plainRoom);
    const atFriend = record(friend, plainRoom);
    const baseline: MatrixSamples["baseline"] = { hubToPartner: [], partnerToHub: [], warmup: [] };
    for (let i = 0; i < sizes.warmup + sizes.messages; i += 1) {
      const there = await timedDelivery(
        () => friend.client.sendTextMessage(plainRoom, `b${i}`),
        atResponder,
        friend.user.userId,
        `b${i}`,
      );
      const back = await timedDelivery(
        () => responder.client.sendTextMessage(plainRoom, `c${i}`),
        atFriend,
        a1.userId,
        `c${i}`,
      );
      if (i < sizes.warmup) baseline.warmup.push(there, back);
      else {
        baseline.hubToPartner.push(there);
        baseline.partnerToHub.push(back);
      }
    }

    const {
      haven,
      intake,
      router,
      dataDir: havenSetupDataDir,
    } = await havenSetup(federation, dir, {
      fallbackOrganisation: "ngo-a",
      organisations: [
        // Room and time for every case of scenario 4: neither capacity nor the claim deadline is what is measured
        // (200 offers at once to one responder outlast a one-minute deadline while the claims are worked through).
        {
          ...partnerOrganisation("ngo-a", federation.server("partner-a").serverName, a1.userId, {
            claimSlaMs: 3_600_000,
          }),
          capacity: { maxActiveCases: 1_000, maxActivePerResponder: 1_000 },
        },
        partnerOrganisation("ngo-b", federation.server("partner-b").serverName, b1.userId),
      ],
      rules: [{ id: "dv-a", match: { categories: ["domestic_violence"] }, offerTo: ["ngo-a", "ngo-b"] }],
    });
    const profileDir = process.env["HAVEN_BENCH_PROFILE_DIR"];
    if (profileDir !== undefined) haven.env["NODE_OPTIONS"] = `--cpu-prof --cpu-prof-dir=${profileDir}`;
    const memoryDir = process.env["HAVEN_BENCH_MEMORY_DIR"];
    if (memoryDir !== undefined) haven.env["NODE_OPTIONS"] = memorySnapshotNodeOptions(memoryDir);
    const startedAt = performance.now();
    await haven.start().ready;
    const havenStartToReadyMs = performance.now() - startedAt;
    stopHaven = profileDir === undefined ? () => haven.stop() : () => stopCleanly(haven.pid!);
    havenOutput = () => haven.output;
    const queueRoom = await createEncryptedRoom(responder.client, [router.userId]);
    await waitForMembership(responder.client, queueRoom, router.userId, "join");
    const queue = record(responder, queueRoom);
    const offers = (): number => bodies(queue, router.userId).filter((b) => b.includes("New case ")).length;

    log("scenario 3: intake → offer");
    const intakeToOffer: number[] = [];
    const survivors: Array<{ survivor: Survivor; code: string }> = [];
    for (let i = 0; i < sizes.intakes; i += 1) {
      const survivor = await Survivor.open(federation.server("hub"), intake.userId);
      people.push(survivor.person);
      recorders.push(survivor.dm);
      await triageUpToConsent(survivor);
      const before = offers();
      const start = performance.now();
      const code = giveConsent(survivor);
      await queue.waitFor("the offer", () => offers() > before, 60_000);
      intakeToOffer.push(performance.now() - start);
      survivors.push({ survivor, code: await code });
    }

    log("scenario 2: relay through Haven");
    const { survivor, code } = survivors[0]!;
    const known = responder.client.getRooms().map((r) => r.roomId);
    await responder.client.sendTextMessage(queueRoom, `!claim ${code}`);
    const orgRoomId = await nextInvite(responder, known);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    const orgRoom = record(responder, orgRoomId);
    const her = survivor.person;
    const caseRoomId = await nextInvite(her, [survivor.roomId]);
    await her.client.joinRoom(caseRoomId);
    const herRoom = record(her, caseRoomId);
    const taken = translate("en", "bridge.caseTaken", { org: "NGO-A" });
    await herRoom.waitFor("she is told who has her case", () => bodies(herRoom, intake.userId).includes(taken));
    const relay: MatrixSamples["relay"] = { survivorToResponder: [], responderToSurvivor: [], warmup: [] };
    for (let i = 0; i < sizes.warmup + sizes.messages; i += 1) {
      const there = await timedDelivery(
        () => her.client.sendTextMessage(caseRoomId, `s${i}`),
        orgRoom,
        intake.userId,
        `Case ${code}: s${i}`,
      );
      const back = await timedDelivery(
        () => responder.client.sendTextMessage(orgRoomId, `r${i}`),
        herRoom,
        intake.userId,
        `NGO-A counsellor: r${i}`,
      );
      if (i < sizes.warmup) relay.warmup.push(there, back);
      else {
        relay.survivorToResponder.push(there);
        relay.responderToSurvivor.push(back);
      }
    }
    const relayed = bodies(orgRoom, intake.userId).filter((b) => b.startsWith(`Case ${code}: s`));
    if (new Set(relayed).size !== relayed.length || relayed.length !== sizes.warmup + sizes.messages) {
      throw new Error(
        `relay lost or duplicated messages: ${relayed.length} relayed, ${new Set(relayed).size} distinct`,
      );
    }
    const concurrent = await benchConcurrentSurvivors(
      {
        federation,
        dataDir: havenSetupDataDir,
        intakeUserId: intake.userId,
        responder,
        queueRoomId: queueRoom,
        havenPid: haven.pid!,
        people,
        recorders,
      },
      sizes.concurrent,
      log,
    );
    if (memoryDir !== undefined) log(`Haven's memory after scenario 4: ${await snapshotMemory(haven.pid!, memoryDir)}`);
    const sweep =
      sizes.sweep.rooms > 0 ? await benchRetentionSweep(federation.server("hub"), sizes.sweep, log) : undefined;
    return { havenStartToReadyMs, baseline, relay, intakeToOffer, concurrent, sweep };
  } finally {
    for (const recorder of recorders) recorder.stop();
    await stopHaven();
    // Haven's own log (metadata only), to see where a figure's time goes: `HAVEN_BENCH_LOG=<file>`.
    const logPath = process.env["HAVEN_BENCH_LOG"];
    if (logPath !== undefined) await writeFile(logPath, havenOutput());
    await Promise.all(people.map((p) => p.stop()));
    await federation.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
