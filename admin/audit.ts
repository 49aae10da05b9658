// Writes the audit log one record at a time, so that each record chains to the one truly before it.
import type { Kysely } from "kysely";
import { appendAuditRecord, type AuditEntry } from "../core/db/repositories/audit-log.ts";
import type { Database } from "../core/db/schema.ts";

export type AuditWriter = (entry: AuditEntry) => Promise<void>;

export function auditWriter(db: Kysely<Database>): AuditWriter {
  let tail: Promise<unknown> = Promise.resolve();
  return (entry) => {
    const append = tail.then(() => db.transaction().execute((trx) => appendAuditRecord(trx, entry)));
    tail = append.catch(() => undefined);
    return append.then(() => undefined);
  };
}
