import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { advanceRoomCheckpoint } from "../../../core/db/repositories/room-checkpoints.ts";
import { Canaries, searchForCanaries } from "../../harness/canary.ts";
import { freshDatabases, PERSISTENT_TARGETS } from "../db/targets.ts";

// The e2e files' canary check must be able to fail: a canary in any file, the log or a database row is found.
for (const target of PERSISTENT_TARGETS) {
  describe(`the canary search (${target.name})`, () => {
    const databases = freshDatabases(target);

    it("finds nothing where there is nothing, and each canary where it leaked", async () => {
      const canaries = new Canaries();
      const [inFile, inLog, inRow, unseen] = ["a", "b", "c", "d"].map((words) => canaries.mark(words));
      const photo = canaries.fileName("IMG_home.jpg");
      expect(photo).toMatch(/^IMG_home-canary-[0-9a-f]{12}\.jpg$/);
      const watched = canaries.watch("ជំរាបសួរ តើមាននរណានៅទីនេះទេ");
      expect(canaries.all).toHaveLength(6);
      const options = await databases.location();
      const database = await databases.open(options);
      const traces = { dataDir: options.dataDir, log: '{"msg":"started"}', database };
      const clean = await searchForCanaries(canaries.all, traces);
      expect(clean.found).toEqual([]);
      expect(clean.sqliteFile).toBe(database.dialect === "sqlite");
      expect(clean.postgresTables > 10).toBe(database.dialect === "postgres");

      const needle = (text: string): string => /canary-[0-9a-f]{12}/.exec(text)?.[0] ?? text;
      await writeFile(join(options.dataDir, "note.tmp"), `x ${needle(inFile!)} ${watched}`);
      await advanceRoomCheckpoint(database.db, {
        bot_user_id: "@intake:hub",
        room_id: `!room:hub`,
        last_event_id: `$${needle(inRow!)}`,
        last_origin_ts: 1,
        updated_at: 1,
      });
      const leaked = await searchForCanaries(canaries.all, { ...traces, log: `{"msg":"${inLog!}"}` });
      const where = (text: string) => leaked.found.filter((f) => f.startsWith(`${needle(text)} in `));
      expect(where(inFile!)).toEqual([expect.stringContaining("note.tmp")]);
      expect(where(watched)).toEqual([expect.stringContaining("note.tmp")]);
      expect(where(inLog!)).toEqual([expect.stringContaining("in the log")]);
      expect(where(inRow!).length).toBeGreaterThanOrEqual(1);
      if (database.dialect === "postgres")
        expect(where(inRow!)).toContain(`${needle(inRow!)} in table room_checkpoints`);
      expect(where(unseen!)).toEqual([]);
      expect(where(photo)).toEqual([]);
    });
  });
}
