// Retention: overrides, what has been done to each case, the hub Synapse jobs in flight, the audit record.
import { effectivePolicy, type PolicyOverride, type RetentionPolicy } from "../../retention/policy.ts";
import type {
  Case,
  RelayRoom,
  RetentionAuditEntry,
  RetentionJob,
  RetentionJobKind,
  RetentionJobStatus,
  RetentionOverrideRow,
  RetentionScope,
} from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function setRetentionOverride(
  db: DbExecutor,
  scope: RetentionScope,
  scopeId: string,
  override: PolicyOverride,
  at: number,
): Promise<void> {
  const row = {
    message_lifetime_ms: override.messageLifetimeMs ?? null,
    grace_after_close_ms: override.graceAfterCloseMs ?? null,
    media_lifetime_ms: override.mediaLifetimeMs ?? null,
    metadata_lifetime_ms: override.metadataLifetimeMs ?? null,
    updated_at: at,
  };
  await db
    .insertInto("retention_overrides")
    .values({ scope, scope_id: scopeId, ...row })
    .onConflict((conflict) => conflict.columns(["scope", "scope_id"]).doUpdateSet(row))
    .execute();
}

function overrideOf(row: RetentionOverrideRow): PolicyOverride {
  return {
    ...(row.message_lifetime_ms !== null && { messageLifetimeMs: Number(row.message_lifetime_ms) }),
    ...(row.grace_after_close_ms !== null && { graceAfterCloseMs: Number(row.grace_after_close_ms) }),
    ...(row.media_lifetime_ms !== null && { mediaLifetimeMs: Number(row.media_lifetime_ms) }),
    ...(row.metadata_lifetime_ms !== null && { metadataLifetimeMs: Number(row.metadata_lifetime_ms) }),
  };
}

export interface StoredRetentionOverride {
  readonly scope: RetentionScope;
  readonly scopeId: string;
  readonly override: PolicyOverride;
  readonly updatedAt: number;
}

/** Every override, by scope then id, a page at a time after `after`. */
export async function listRetentionOverrides(
  db: DbExecutor,
  limit: number,
  after?: { scope: RetentionScope; scopeId: string },
): Promise<StoredRetentionOverride[]> {
  let query = db.selectFrom("retention_overrides").selectAll();
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("scope", ">", after.scope),
        eb.and([eb("scope", "=", after.scope), eb("scope_id", ">", after.scopeId)]),
      ]),
    );
  }
  const rows = await query.orderBy("scope").orderBy("scope_id").limit(limit).execute();
  return rows.map((row) => ({
    scope: row.scope,
    scopeId: row.scope_id,
    override: overrideOf(row),
    updatedAt: Number(row.updated_at),
  }));
}

export async function getStoredRetentionOverride(
  db: DbExecutor,
  scope: RetentionScope,
  scopeId: string,
): Promise<StoredRetentionOverride | undefined> {
  const row = await db
    .selectFrom("retention_overrides")
    .selectAll()
    .where("scope", "=", scope)
    .where("scope_id", "=", scopeId)
    .executeTakeFirst();
  return row && { scope, scopeId, override: overrideOf(row), updatedAt: Number(row.updated_at) };
}

/**
 * The policy a case lives under now: the hub's, shortened by its category's and its organisation's overrides.
 * What the retention worker applies to the case's rooms, and what the admin API shows for it.
 */
export async function casePolicy(
  db: DbExecutor,
  hub: RetentionPolicy,
  theCase: Pick<Case, "category" | "org_id">,
): Promise<RetentionPolicy> {
  return effectivePolicy(hub, [
    await getRetentionOverride(db, "category", theCase.category),
    await getRetentionOverride(db, "org", theCase.org_id),
  ]);
}

/** Removes the override: the cases it shortened fall back to the hub's policy. False when there was none. */
export async function deleteRetentionOverride(
  db: DbExecutor,
  scope: RetentionScope,
  scopeId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("retention_overrides")
    .where("scope", "=", scope)
    .where("scope_id", "=", scopeId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface CaseUnderOverride {
  readonly case: Case;
  /** Her room (while it exists) and the org-side rooms still on the hub: each carries the case's m.room.retention. */
  readonly rooms: number;
}

/**
 * The cases an override applies to that retention still acts on (not anonymised), oldest first, a page at a time
 * after `after`, with how many of their rooms carry the policy.
 */
export async function listCasesUnderOverride(
  db: DbExecutor,
  scope: RetentionScope,
  scopeId: string,
  limit: number,
  after?: { created_at: number; id: string },
): Promise<CaseUnderOverride[]> {
  let query = db
    .selectFrom("cases")
    .leftJoin("case_retention", "case_retention.case_id", "cases.id")
    .selectAll("cases")
    .select(["case_retention.rooms_deleted_at"])
    .select((eb) =>
      eb
        .selectFrom("relay_rooms")
        .whereRef("relay_rooms.case_id", "=", "cases.id")
        .select((inner) => inner.fn.countAll().as("n"))
        .as("org_rooms"),
    )
    .where("case_retention.anonymised_at", "is", null)
    .where(scope === "category" ? "cases.category" : "cases.org_id", "=", scopeId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("cases.created_at", ">", after.created_at),
        eb.and([eb("cases.created_at", "=", after.created_at), eb("cases.id", ">", after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy("cases.created_at").orderBy("cases.id").limit(limit).execute();
  return rows.map(({ rooms_deleted_at, org_rooms, ...theCase }) => ({
    case: theCase,
    rooms:
      rooms_deleted_at !== null && rooms_deleted_at !== undefined
        ? 0
        : (theCase.survivor_room_id === null ? 0 : 1) + Number(org_rooms ?? 0),
  }));
}

export async function getRetentionOverride(
  db: DbExecutor,
  scope: RetentionScope,
  scopeId: string | null,
): Promise<PolicyOverride | undefined> {
  if (scopeId === null) return undefined;
  const row = await db
    .selectFrom("retention_overrides")
    .selectAll()
    .where("scope", "=", scope)
    .where("scope_id", "=", scopeId)
    .executeTakeFirst();
  return row && overrideOf(row);
}

export interface CaseUnderRetention {
  readonly case: Case;
  readonly roomsDeletedAt: number | null;
  readonly anonymisedAt: number | null;
}

/**
 * Cases retention still has work on (not yet anonymised), oldest first, a page at a time: pass the last case of
 * the previous page as `after`.
 */
export async function listCasesUnderRetention(
  db: DbExecutor,
  limit = 1_000,
  after?: { created_at: number; id: string },
): Promise<CaseUnderRetention[]> {
  let query = db
    .selectFrom("cases")
    .leftJoin("case_retention", "case_retention.case_id", "cases.id")
    .selectAll("cases")
    .select(["case_retention.rooms_deleted_at", "case_retention.anonymised_at"])
    .where("case_retention.anonymised_at", "is", null);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("cases.created_at", ">", after.created_at),
        eb.and([eb("cases.created_at", "=", after.created_at), eb("cases.id", ">", after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy("cases.created_at").orderBy("cases.id").limit(limit).execute();
  return rows.map(({ rooms_deleted_at, anonymised_at, ...theCase }) => ({
    case: theCase,
    roomsDeletedAt: rooms_deleted_at ?? null,
    anonymisedAt: anonymised_at ?? null,
  }));
}

export async function markCaseRoomsDeleted(db: DbExecutor, caseId: string, at: number): Promise<void> {
  await db
    .insertInto("case_retention")
    .values({ case_id: caseId, rooms_deleted_at: at, anonymised_at: null })
    .onConflict((conflict) => conflict.column("case_id").doUpdateSet({ rooms_deleted_at: at }))
    .execute();
}

/**
 * Takes the survivor out of a case's metadata: her Matrix ID (also where she is named as the actor of a history
 * entry), her room, the org-side rooms, every relayed-event mapping and her answers about passing on the earlier
 * conversation. Counts, states, times and organisations stay for the statistics.
 */
export async function anonymiseCase(db: DbExecutor, caseId: string, at: number): Promise<void> {
  await forgetSurvivor(db, caseId);
  await forgetSurvivorRoom(db, caseId);
  await db.deleteFrom("relay_rooms").where("case_id", "=", caseId).execute();
  // What she answered when her case moved between organisations: of no use once the case is over.
  await db.deleteFrom("earlier_conversation_consents").where("case_id", "=", caseId).execute();
  await db
    .insertInto("case_retention")
    .values({ case_id: caseId, rooms_deleted_at: null, anonymised_at: at })
    .onConflict((conflict) => conflict.column("case_id").doUpdateSet({ anonymised_at: at }))
    .execute();
}

/** The unfinished job of this kind for this room, if any: resumed rather than asked of Synapse again. */
export async function findUnfinishedJob(
  db: DbExecutor,
  kind: RetentionJobKind,
  roomId: string,
): Promise<RetentionJob | undefined> {
  return db
    .selectFrom("retention_jobs")
    .selectAll()
    .where("kind", "=", kind)
    .where("room_id", "=", roomId)
    .where("status", "in", ["pending", "running"])
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

export async function insertRetentionJob(
  db: DbExecutor,
  job: {
    kind: RetentionJobKind;
    room_id: string;
    case_id: string | null;
    up_to_ts: number | null;
    up_to_event_id?: string | null;
    at: number;
  },
): Promise<RetentionJob> {
  return db
    .insertInto("retention_jobs")
    .values({
      kind: job.kind,
      room_id: job.room_id,
      case_id: job.case_id,
      up_to_ts: job.up_to_ts,
      up_to_event_id: job.up_to_event_id ?? null,
      synapse_id: null,
      status: "pending",
      created_at: job.at,
      updated_at: job.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateRetentionJob(
  db: DbExecutor,
  id: number,
  change: { status: RetentionJobStatus; synapse_id?: string; at: number },
): Promise<void> {
  await db
    .updateTable("retention_jobs")
    .set({ status: change.status, updated_at: change.at, ...(change.synapse_id && { synapse_id: change.synapse_id }) })
    .where("id", "=", id)
    .execute();
}

export async function listRetentionJobs(db: DbExecutor): Promise<RetentionJob[]> {
  return db.selectFrom("retention_jobs").selectAll().orderBy("id").execute();
}

export async function recordRetentionAudit(
  db: DbExecutor,
  entry: { at: number; actor: string; action: string; case_id: string | null; counts: Record<string, number> },
): Promise<void> {
  await db
    .insertInto("retention_audit")
    .values({ ...entry, counts: JSON.stringify(entry.counts) })
    .execute();
}

/**
 * What retention has done since Haven started keeping count: for each audit action (`sweep`, `erase-case`) and
 * each count it recorded (`messagesRedacted`, `purges`, `roomsDeleted`, …), the sum. For metrics.
 */
export async function retentionActionTotals(db: DbExecutor): Promise<Map<string, Map<string, number>>> {
  const rows = await db.selectFrom("retention_audit").select(["action", "counts"]).execute();
  const totals = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let counts: unknown;
    try {
      counts = JSON.parse(row.counts);
    } catch {
      continue;
    }
    if (typeof counts !== "object" || counts === null) continue;
    const byCount = totals.get(row.action) ?? new Map<string, number>();
    totals.set(row.action, byCount);
    for (const [name, value] of Object.entries(counts)) {
      if (typeof value === "number" && Number.isFinite(value)) byCount.set(name, (byCount.get(name) ?? 0) + value);
    }
  }
  return totals;
}

export async function listRetentionAudit(db: DbExecutor): Promise<RetentionAuditEntry[]> {
  return db.selectFrom("retention_audit").selectAll().orderBy("id").execute();
}

/** Up to when the room's history has been purged on the hub (0: never). */
export async function lastPurgedUpTo(db: DbExecutor, roomId: string): Promise<number> {
  const row = await db
    .selectFrom("retention_jobs")
    .select((eb) => eb.fn.max("up_to_ts").as("up_to"))
    .where("kind", "=", "purge-history")
    .where("room_id", "=", roomId)
    .where("status", "=", "done")
    .executeTakeFirst();
  return Number(row?.up_to ?? 0);
}

/** Every case of this survivor that is not erased yet (open or closed), oldest first. */
export async function listUnerasedCasesOfSurvivor(db: DbExecutor, survivorMxid: string): Promise<Case[]> {
  return db
    .selectFrom("cases")
    .selectAll()
    .where("survivor_mxid", "=", survivorMxid)
    .where("state", "!=", "erased")
    .orderBy("created_at")
    .execute();
}

/**
 * Takes the survivor out of an erased case at once: her Matrix ID (also as the actor of history entries) and
 * every relayed-event mapping. Her room and the org-side rooms stay recorded until they are deleted.
 */
export async function forgetSurvivor(db: DbExecutor, caseId: string): Promise<void> {
  const row = await db.selectFrom("cases").select("survivor_mxid").where("id", "=", caseId).executeTakeFirst();
  if (row?.survivor_mxid) {
    await db
      .updateTable("case_history")
      .set({ actor: "survivor" })
      .where("case_id", "=", caseId)
      .where("actor", "=", row.survivor_mxid)
      .execute();
  }
  await db.updateTable("cases").set({ survivor_mxid: null }).where("id", "=", caseId).execute();
  await db.deleteFrom("relay_events").where("case_id", "=", caseId).execute();
}

/** Her case room is gone from the hub: the case no longer points at it. */
export async function forgetSurvivorRoom(db: DbExecutor, caseId: string): Promise<void> {
  await db.updateTable("cases").set({ survivor_room_id: null }).where("id", "=", caseId).execute();
}

export async function listRelayRoomsOfCase(db: DbExecutor, caseId: string): Promise<RelayRoom[]> {
  return db.selectFrom("relay_rooms").selectAll().where("case_id", "=", caseId).orderBy("created_at").execute();
}

/** Hub jobs a crashed or timed-out run left unfinished, oldest first. */
export async function listUnfinishedJobs(db: DbExecutor): Promise<RetentionJob[]> {
  return db
    .selectFrom("retention_jobs")
    .selectAll()
    .where("status", "in", ["pending", "running"])
    .orderBy("id")
    .execute();
}
