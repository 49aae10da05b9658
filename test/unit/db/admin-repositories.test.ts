// The admin API's repositories on every database: the audit chain, API tokens, OpenID replay records, case pages.
import { describe, expect, it } from "vitest";
import { findLiveApiToken, insertApiToken, revokeApiToken } from "../../../core/db/repositories/api-tokens.ts";
import { insertAlert } from "../../../core/db/repositories/alerts.ts";
import { appendAuditRecord, verifyAuditChain } from "../../../core/db/repositories/audit-log.ts";
import { countSlaBreaches, listCasesPage } from "../../../core/db/repositories/case-pages.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { markOpenidTokenUsed } from "../../../core/db/repositories/openid-tokens-used.ts";
import { T0, newCase } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

describe.each(ALL_TARGETS)("admin repositories on $name", (target) => {
  const databases = freshDatabases(target);

  it("chains audit records and finds an edited one", async () => {
    const { db } = await databases.open();
    for (let i = 0; i < 5; i += 1) {
      await appendAuditRecord(db, {
        at: T0 + i,
        actor: "a",
        action: "POST x",
        target: "/x",
        result: "200",
        requestId: `r${i}`,
      });
    }
    expect(await verifyAuditChain(db)).toEqual({ ok: true, records: 5 });
    await db.updateTable("audit_log").set({ result: "500" }).where("seq", "=", 3).execute();
    expect(await verifyAuditChain(db)).toEqual({ ok: false, records: 2, brokenAtSeq: 3 });
  });

  it("finds a token by hash only while it is live", async () => {
    const { db } = await databases.open();
    const token = { id: "t1", tokenHash: "h1", subject: "s", role: "monitor" as const, orgId: null, createdBy: "x" };
    await insertApiToken(db, { ...token, createdAt: T0, expiresAt: T0 + 1_000 });
    expect(await findLiveApiToken(db, "h1", T0 + 999)).toMatchObject({ id: "t1", role: "monitor" });
    expect(await findLiveApiToken(db, "h1", T0 + 1_000)).toBeUndefined();
    expect(await revokeApiToken(db, "t1", T0)).toBe(true);
    expect(await revokeApiToken(db, "t1", T0)).toBe(false);
    expect(await findLiveApiToken(db, "h1", T0)).toBeUndefined();
  });

  it("accepts an OpenID token once", async () => {
    const { db } = await databases.open();
    expect(await markOpenidTokenUsed(db, "h", T0)).toBe(true);
    expect(await markOpenidTokenUsed(db, "h", T0 + 1)).toBe(false);
  });

  it("pages cases by creation time and code, filtered by organisation and SLA breach", async () => {
    const { db } = await databases.open();
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const inserted = await insertCase(db, newCase({ created_at: T0 + (i % 2), org_id: i < 4 ? "org-a" : "org-b" }));
      if (inserted.ok) codes.push(inserted.case.id);
    }
    await insertAlert(db, {
      kind: "offer-escalated",
      case_id: codes[1]!,
      org_id: "org-a",
      at: T0,
      event_id: null,
      acked_by: null,
      acked_at: null,
    });
    const first = await listCasesPage(db, { orgId: "org-a" }, undefined, 2);
    const last = first.at(-1)!;
    const second = await listCasesPage(db, { orgId: "org-a" }, { createdAt: last.created_at, id: last.id }, 10);
    expect([...first, ...second].map((row) => row.id).sort()).toEqual(codes.slice(0, 4).sort());
    expect((await listCasesPage(db, { breached: true }, undefined, 10)).map((row) => row.id)).toEqual([codes[1]]);
    expect(await listCasesPage(db, { breached: false }, undefined, 10)).toHaveLength(4);
    expect((await countSlaBreaches(db, codes)).get(codes[1]!)).toBe(1);
  });
});
