import { describe, expect, it } from "vitest";
import { appendCaseHistory, listCaseHistory } from "../../../core/db/repositories/case-history.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import type { NewCaseHistoryEntry } from "../../../core/db/schema.ts";
import { T0, newCase } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const entry = (caseId: string, overrides: Partial<NewCaseHistoryEntry> = {}): NewCaseHistoryEntry => ({
  case_id: caseId,
  at: T0,
  from_state: null,
  to_state: "intake",
  actor: "@intake:hub.test",
  org_id: null,
  reason: null,
  ...overrides,
});

describe.each(ALL_TARGETS)("case history on $name", (target) => {
  const databases = freshDatabases(target);

  it("lists a case's entries in the order they were appended, whatever their times", async () => {
    const { db } = await databases.open();
    const { id } = newCase();
    const other = newCase();
    await insertCase(db, newCase({ id }));
    await insertCase(db, other);
    const appended = [
      await appendCaseHistory(db, entry(id, { at: T0 + 5, to_state: "intake" })),
      await appendCaseHistory(db, entry(other.id)),
      await appendCaseHistory(db, entry(id, { at: T0 + 5, from_state: "intake", to_state: "waiting" })),
      await appendCaseHistory(
        db,
        entry(id, { at: T0 + 1, from_state: "waiting", to_state: "offered", org_id: "org-a", reason: "rule 3" }),
      ),
    ];
    const history = await listCaseHistory(db, id);
    expect(history).toEqual([appended[0], appended[2], appended[3]]);
    expect(history.map((row) => row.to_state)).toEqual(["intake", "waiting", "offered"]);
    expect(history[2]).toMatchObject({ at: T0 + 1, org_id: "org-a", reason: "rule 3" });
    expect(typeof history[0]?.id).toBe("number");
  });

  it("refuses an entry for a case that does not exist", async () => {
    const { db } = await databases.open();
    await expect(appendCaseHistory(db, entry("NOPE-00"))).rejects.toThrow();
  });

  it("goes with its case when the case is deleted (erasure)", async () => {
    const { db } = await databases.open();
    const created = newCase();
    await insertCase(db, created);
    await appendCaseHistory(db, entry(created.id));
    await db.deleteFrom("cases").where("id", "=", created.id).execute();
    expect(await listCaseHistory(db, created.id)).toEqual([]);
  });
});
