// The admin audit log: append-only and hash-chained. Each record's hash covers its fields and the hash of the
// record before it, so editing, deleting or reordering a row breaks the chain at that row.
import { createHash } from "node:crypto";
import type { AuditRecord } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export const AUDIT_GENESIS_HASH = "0".repeat(64);

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target: string | null;
  result: string;
  requestId: string;
}

type HashedFields = Omit<AuditRecord, "hash">;

export function auditRecordHash(record: HashedFields): string {
  const canonical = JSON.stringify([
    record.seq,
    record.at,
    record.actor,
    record.action,
    record.target,
    record.result,
    record.request_id,
    record.prev_hash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Appends one record. The caller must serialise appends (one at a time per database) so that two records never
 * chain to the same predecessor; admin/audit.ts does.
 */
export async function appendAuditRecord(db: DbExecutor, entry: AuditEntry): Promise<AuditRecord> {
  const last = await db
    .selectFrom("audit_log")
    .select(["seq", "hash"])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  const inserted = await db
    .insertInto("audit_log")
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      result: entry.result,
      request_id: entry.requestId,
      prev_hash: prevHash,
      hash: "",
    })
    .returning("seq")
    .executeTakeFirstOrThrow();
  const seq = Number(inserted.seq);
  const hash = auditRecordHash({
    seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    result: entry.result,
    request_id: entry.requestId,
    prev_hash: prevHash,
  });
  return db.updateTable("audit_log").set({ hash }).where("seq", "=", seq).returningAll().executeTakeFirstOrThrow();
}

/** Records after `afterSeq` in order, at most `limit`. */
export async function listAuditRecords(db: DbExecutor, afterSeq: number, limit: number): Promise<AuditRecord[]> {
  return db.selectFrom("audit_log").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit).execute();
}

export type AuditVerification = { ok: true; records: number } | { ok: false; records: number; brokenAtSeq: number };

/** Walks the whole chain in pages; the first record whose link or hash does not hold is reported. */
export async function verifyAuditChain(db: DbExecutor, pageSize = 1_000): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS_HASH;
  let afterSeq = 0;
  let records = 0;
  for (;;) {
    const page = await listAuditRecords(db, afterSeq, pageSize);
    for (const record of page) {
      const seq = Number(record.seq);
      if (record.prev_hash !== prevHash || auditRecordHash({ ...record, seq }) !== record.hash) {
        return { ok: false, records, brokenAtSeq: seq };
      }
      prevHash = record.hash;
      afterSeq = seq;
      records += 1;
    }
    if (page.length < pageSize) return { ok: true, records };
  }
}
