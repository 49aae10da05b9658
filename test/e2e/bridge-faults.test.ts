import { execFile } from "node:child_process";
import { appendFile, mkdir, mkdtemp, rm, statfs, unlink, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import Sqlite from "better-sqlite3";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "matrix-js-sdk";
import type { HavenDatabase } from "../../core/db/open.ts";
import { openHavenDatabase } from "../harness/haven-database.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { BotProcess } from "../harness/bot-process.ts";
import { startFederation, type Federation } from "../harness/synapse.ts";
import {
  createEncryptedRoom,
  joinOnceTheHubHasTheInvite,
  joinWhenInvited,
  nextInvite,
  readHistory,
  startTestClient,
  TimelineRecorder,
  waitForMembership,
  type TestClient,
} from "../harness/clients.ts";
import { Survivor } from "../harness/survivor.ts";
import { Canaries, expectNoCanaries } from "../harness/canary.ts";
import { havenSetup, partnerOrganisation, triage } from "../harness/haven-setup.ts";

// `npm test` runs 200 messages; `npm run bench -- --faults` sets HAVEN_FAULT_MESSAGES (1,000 by default there).
const count = Number(process.env["HAVEN_FAULT_MESSAGES"] ?? 200);
/** The other runs' sizes and every time limit grow with the count: at 200 they are the ones `npm test` uses. */
const scale = Math.max(1, count / 200);
const at = (fraction: number): number => Math.round(count * fraction);
const limit = (ms: number): number => Math.round(ms * scale);
const run = promisify(execFile);

/** Fills the filesystem under `dir` with one file, to the last byte it will take; returns the file's path. */
async function fillDisk(dir: string): Promise<string> {
  const filler = join(dir, "filler");
  const { bavail, bsize } = await statfs(dir);
  await writeFile(filler, Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - 4096)));
  for (;;) {
    try {
      await appendFile(filler, Buffer.alloc(512));
    } catch (error) {
      if ((error as { code?: string }).code === "ENOSPC") return filler;
      throw error;
    }
  }
}

/**
 * Faults in the middle of a conversation, through the real Haven process: Haven killed with SIGKILL, and the
 * hub's Synapse restarted, each while `count` messages (200) are on their way; the organisation's server down for
 * 30 s while 30 % of that are; its data directory's disk full. Afterwards every message has arrived exactly once and in order. Haven's
 * data directory is a small tmpfs of its own (mounted as root, as CI runs).
 */
describe(`bridge faults: ${count} messages, exactly once and in order`, () => {
  let federation: Federation;
  let dir: string;
  let haven: BotProcess;
  let database: HavenDatabase;
  let responder: TestClient;
  let survivor: Survivor;
  let code: string;
  let caseRoomId: string;
  let orgRoomId: string;
  let intakeId: string;
  let dataDir: string;
  let mounted = false;
  const recorders: TimelineRecorder[] = [];
  const canaries = new Canaries();
  /** What a person writes in a run: `k1 <canary>`, `k2 <canary>`, … */
  const words = (prefix: string, n: number): string[] =>
    Array.from({ length: n }, (_, k) => canaries.mark(`${prefix}${k + 1}`));

  beforeAll(async () => {
    federation = await startFederation();
    dir = await mkdtemp(join(tmpdir(), "haven-faults-"));
    const a1 = await federation.server("partner-a").registerUser("a1");
    const setup = await havenSetup(federation, dir, {
      fallbackOrganisation: "ngo-a",
      organisations: [partnerOrganisation("ngo-a", federation.server("partner-a").serverName, a1.userId)],
      rules: [],
    });
    haven = setup.haven;
    intakeId = setup.intake.userId;
    // Haven's data directory on a disk of its own, small enough for a test to fill (see the last test).
    dataDir = setup.dataDir;
    await mkdir(dataDir, { recursive: true });
    await run("mount", ["-t", "tmpfs", "-o", "size=32m", "tmpfs", dataDir]);
    mounted = true;
    await haven.start().ready;
    database = await openHavenDatabase(setup.dataDir);
    responder = await startTestClient(federation.server("partner-a"), a1);
    const queueRoomId = await createEncryptedRoom(responder.client, [setup.router.userId]);
    await waitForMembership(responder.client, queueRoomId, setup.router.userId, "join");
    const queue = new TimelineRecorder(responder.client, queueRoomId);
    recorders.push(queue);

    survivor = await Survivor.open(federation.server("hub"), intakeId);
    code = await triage(survivor);
    await queue.waitFor("the offer", () =>
      queue.messages(setup.router.userId).some((e) => String(e.getContent().body).includes(`New case ${code}`)),
    );
    await responder.client.sendTextMessage(queueRoomId, `!claim ${code}`);
    orgRoomId = await nextInvite(responder, [queueRoomId]);
    await joinOnceTheHubHasTheInvite(responder, orgRoomId);
    caseRoomId = (await getCaseByCode(database.db, code))!.survivor_room_id!;
    await joinWhenInvited(survivor.person.client, caseRoomId);
    const herRoom = new TimelineRecorder(survivor.person.client, caseRoomId);
    recorders.push(herRoom);
    const taken = translate("en", "bridge.caseTaken", { org: "NGO-A" });
    await herRoom.waitFor("she is told who has her case", () =>
      herRoom.messages(intakeId).some((e) => e.getContent().body === taken),
    );
  }, limit(300_000));

  afterAll(async () => {
    await haven?.stop();
    for (const recorder of recorders) recorder.stop();
    await Promise.all([responder?.stop(), survivor?.stop()]);
    await database?.close();
    await federation?.stop();
    if (mounted) await run("umount", [dataDir]);
    if (process.env["HAVEN_KEEP_TEST_DIRS"])
      await writeFile(join(dir, "haven-stdout.log"), haven?.stdoutLines.join("\n") ?? "");
    else await rm(dir, { recursive: true, force: true });
  });

  const relayed = (events: readonly MatrixEvent[], pattern: RegExp): string[] =>
    events.map((e) => String(e.getContent().body)).filter((body) => pattern.test(body));

  /**
   * Waits for the copy of the last message in `viewer`'s room, then reads the room as they would scrolling up, and
   * expects exactly the copies of `expected`, in order. The bridge relays in order, so the last copy comes last.
   */
  const expectRelayedOnceInOrder = async (
    viewer: TestClient,
    roomId: string,
    recorder: TimelineRecorder,
    pattern: RegExp,
    expected: readonly string[],
    timeoutMs: number,
  ): Promise<void> => {
    const last = expected.at(-1)!;
    // On a timeout, the comparison below says which messages are missing or repeated.
    await recorder
      .waitFor("the last copy", () => recorder.messages(intakeId).some((e) => e.getContent().body === last), timeoutMs)
      .catch(() => undefined);
    const history = await readHistory(viewer.client, roomId);
    const copies = relayed(
      history.filter((e) => e.getSender() === intakeId),
      pattern,
    );
    expect(copies).toEqual(expected);
  };

  it(
    "loses and repeats nothing when Haven is killed with SIGKILL mid-stream",
    async () => {
      const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
      recorders.push(orgRoom);
      const hers = words("k", count);
      for (let i = 1; i <= count; i++) {
        await survivor.person.client.sendTextMessage(caseRoomId, hers[i - 1]!);
        if (i === at(0.35)) await haven.kill();
        if (i === at(0.65)) await haven.start().ready;
      }
      const expected = hers.map((text) => `Case ${code}: ${text}`);
      await expectRelayedOnceInOrder(
        responder,
        orgRoomId,
        orgRoom,
        new RegExp(`^Case ${code}: k\\d+ `),
        expected,
        limit(120_000),
      );
    },
    limit(300_000),
  );

  it(
    "loses and repeats nothing when the hub's Synapse restarts mid-stream",
    async () => {
      const hub = federation.server("hub");
      const herRoom = new TimelineRecorder(survivor.person.client, caseRoomId);
      recorders.push(herRoom);
      const theirs = words("r", count);
      for (let i = 1; i <= count; i++) {
        await responder.client.sendTextMessage(orgRoomId, theirs[i - 1]!);
        if (i === at(0.35)) await hub.stop();
        if (i === at(0.65)) await hub.start();
      }
      const expected = theirs.map((text) => `NGO-A counsellor: ${text}`);
      await expectRelayedOnceInOrder(
        survivor.person,
        caseRoomId,
        herRoom,
        /^NGO-A counsellor: r\d+ /,
        expected,
        limit(180_000),
      );
    },
    limit(300_000),
  );

  it(
    "loses and repeats nothing when the organisation's server is down for 30 s",
    async () => {
      const partner = federation.server("partner-a");
      const sent = at(0.3);
      const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
      recorders.push(orgRoom);
      let stoppedAt = 0;
      const hers = words("p", sent);
      for (let i = 1; i <= sent; i++) {
        await survivor.person.client.sendTextMessage(caseRoomId, hers[i - 1]!);
        if (i === Math.round(sent / 3)) {
          await partner.stop();
          stoppedAt = Date.now();
        }
        if (i === Math.round((2 * sent) / 3)) {
          // The outage itself: her messages keep coming while the organisation's server is away for 30 s.
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + 30_000 - Date.now())));
          await partner.start();
        }
      }
      // What federation skipped while the server was away, the responder's server fetches as they scroll up.
      const expected = hers.map((text) => `Case ${code}: ${text}`);
      await expectRelayedOnceInOrder(
        responder,
        orgRoomId,
        orgRoom,
        new RegExp(`^Case ${code}: p\\d+ `),
        expected,
        limit(120_000),
      );
    },
    limit(300_000),
  );

  it(
    "stops with a clear error when its disk is full, and after space is freed loses and repeats nothing",
    async () => {
      const orgRoom = new TimelineRecorder(responder.client, orgRoomId);
      recorders.push(orgRoom);
      const sent = at(0.15);
      const hers = words("d", sent);
      for (let i = 1; i <= 10; i++) await survivor.person.client.sendTextMessage(caseRoomId, hers[i - 1]!);
      await orgRoom.waitFor("the first ten", () => relayed(orgRoom.messages(intakeId), /: d\d+ /).length >= 10, 60_000);

      const filler = await fillDisk(dataDir);
      const exited = haven.exited();
      for (let i = 11; i <= sent; i++) await survivor.person.client.sendTextMessage(caseRoomId, hers[i - 1]!);
      expect(await exited).toBe(74);
      const fatal = haven.stdoutLines
        .filter((line) => line.includes('"level":60'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)[0];
      expect(String(fatal?.["msg"])).toContain("the disk under Haven's data is full");
      expect(["ENOSPC", "SQLITE_FULL"]).toContain(fatal?.["reason"]);

      await unlink(filler);
      await haven.start().ready;
      const expected = hers.map((text) => `Case ${code}: ${text}`);
      await expectRelayedOnceInOrder(
        responder,
        orgRoomId,
        orgRoom,
        new RegExp(`^Case ${code}: d\\d+ `),
        expected,
        limit(120_000),
      );
      const sqlite = new Sqlite(join(dataDir, "haven.sqlite"), { readonly: true, fileMustExist: true });
      try {
        expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      } finally {
        sqlite.close();
      }
    },
    limit(300_000),
  );

  it("leaves no canary in Haven's database, data directory or log", async () => {
    await expectNoCanaries(canaries, { dataDir, log: haven.output, database }, count);
  });
});
