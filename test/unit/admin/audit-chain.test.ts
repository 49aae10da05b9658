// The audit log's hash chain: intact after many concurrent writes, broken at the exact row that was edited or
// removed, and reported so by GET /v1/audit/verify.
import { afterEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../core/db/repositories/audit-log.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const auth = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };

async function verifyOverHttp(app: AdminFixture["app"]): Promise<unknown> {
  return (await app.request("/v1/audit/verify", { headers: auth })).json();
}

async function auditedRequests(current: AdminFixture, count: number): Promise<void> {
  // Mutations and denials, sent at once: the writer must still chain each record to the one truly before it.
  await Promise.all(
    Array.from({ length: count }, async (_, index) =>
      index % 2 === 0
        ? current.app.request("/v1/admin-users/@a" + index + ":hub.example.org", {
            method: "PUT",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ role: "monitor" }),
          })
        : current.app.request("/v1/tokens", { headers: { authorization: "Bearer wrong" } }),
    ),
  );
}

describe("the audit chain", () => {
  it("holds after concurrent mutations and denials, one record each", async () => {
    fixture = await startAdminFixture();
    await auditedRequests(fixture, 40);
    expect(await verifyAuditChain(fixture.database.db)).toEqual({ ok: true, records: 40 });
    expect(await verifyOverHttp(fixture.app)).toEqual({ ok: true, records: 40 });
  });

  it("detects an edited row, naming it", async () => {
    fixture = await startAdminFixture();
    await auditedRequests(fixture, 10);
    await fixture.database.db.updateTable("audit_log").set({ actor: "someone-else" }).where("seq", "=", 4).execute();
    expect(await verifyAuditChain(fixture.database.db)).toEqual({ ok: false, records: 3, brokenAtSeq: 4 });
    expect(await verifyOverHttp(fixture.app)).toMatchObject({ ok: false, brokenAtSeq: 4 });
  });

  it("detects an edited row whose hash was recomputed: the next row's link breaks", async () => {
    fixture = await startAdminFixture();
    await auditedRequests(fixture, 10);
    const { auditRecordHash } = await import("../../../core/db/repositories/audit-log.ts");
    const row = await fixture.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", "=", 5)
      .executeTakeFirstOrThrow();
    const forged = { ...row, result: "200" === row.result ? "403" : "200" };
    await fixture.database.db
      .updateTable("audit_log")
      .set({ result: forged.result, hash: auditRecordHash(forged) })
      .where("seq", "=", 5)
      .execute();
    expect(await verifyAuditChain(fixture.database.db)).toEqual({ ok: false, records: 5, brokenAtSeq: 6 });
  });

  it("detects a removed row", async () => {
    fixture = await startAdminFixture();
    await auditedRequests(fixture, 10);
    await fixture.database.db.deleteFrom("audit_log").where("seq", "=", 7).execute();
    expect(await verifyAuditChain(fixture.database.db)).toEqual({ ok: false, records: 6, brokenAtSeq: 8 });
  });

  it("walks the chain across pages", async () => {
    fixture = await startAdminFixture();
    await auditedRequests(fixture, 12);
    expect(await verifyAuditChain(fixture.database.db, 5)).toEqual({ ok: true, records: 12 });
    await fixture.database.db.updateTable("audit_log").set({ target: "/elsewhere" }).where("seq", "=", 11).execute();
    expect(await verifyAuditChain(fixture.database.db, 5)).toEqual({ ok: false, records: 10, brokenAtSeq: 11 });
  });
});
