// Cases a page at a time for the admin API, filtered by state, organisation and SLA breach; counts for metrics.
import type { ExpressionBuilder } from "kysely";
import type { Alert, Case, CaseState, Database } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/** Alert kinds that mean a case waited longer than an organisation's SLA allowed. */
export const SLA_BREACH_ALERT_KINDS = ["offer-escalated", "fallback-used", "no-organisation"] as const;

export interface CaseFilter {
  state?: CaseState | undefined;
  orgId?: string | undefined;
  /** true: only cases with an SLA-breach alert; false: only cases without one. */
  breached?: boolean | undefined;
}

/** Where the previous page ended, in the page order (created_at, then id). */
export interface CasePosition {
  createdAt: number;
  id: string;
}

/** Cases matching `filter` after `after`, oldest first, at most `limit`. */
export async function listCasesPage(
  db: DbExecutor,
  filter: CaseFilter,
  after: CasePosition | undefined,
  limit: number,
): Promise<Case[]> {
  let query = db.selectFrom("cases").selectAll();
  if (filter.state !== undefined) query = query.where("state", "=", filter.state);
  if (filter.orgId !== undefined) query = query.where("org_id", "=", filter.orgId);
  if (filter.breached !== undefined) {
    const breaches = (eb: ExpressionBuilder<Database, "cases">) =>
      eb.exists(
        eb
          .selectFrom("alerts")
          .select("alerts.id")
          .whereRef("alerts.case_id", "=", "cases.id")
          .where("alerts.kind", "in", SLA_BREACH_ALERT_KINDS),
      );
    query = query.where((eb) => (filter.breached ? breaches(eb) : eb.not(breaches(eb))));
  }
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", ">", after.createdAt),
        eb.and([eb("created_at", "=", after.createdAt), eb("id", ">", after.id)]),
      ]),
    );
  }
  return query.orderBy("created_at").orderBy("id").limit(limit).execute();
}

/** How many SLA-breach alerts each of these cases has. */
export async function countSlaBreaches(db: DbExecutor, caseIds: readonly string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("alerts")
    .select(["case_id", (eb) => eb.fn.countAll<number>().as("count")])
    .where("case_id", "in", caseIds)
    .where("kind", "in", SLA_BREACH_ALERT_KINDS)
    .groupBy("case_id")
    .execute();
  return new Map(rows.map((row) => [row.case_id!, Number(row.count)]));
}

/** The organisation each of these cases is offered to right now, with the offer's claim deadline. */
export async function liveOfferHolders(
  db: DbExecutor,
  caseIds: readonly string[],
): Promise<Map<string, { orgId: string; deadlineAt: number }>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("offers")
    .select(["case_id", "org_id", "deadline_at"])
    .where("case_id", "in", caseIds)
    .where("status", "in", ["pending", "open"])
    .execute();
  return new Map(rows.map((row) => [row.case_id, { orgId: row.org_id, deadlineAt: row.deadline_at }]));
}

export async function countCasesByState(db: DbExecutor): Promise<Map<CaseState, number>> {
  const rows = await db
    .selectFrom("cases")
    .select(["state", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("state")
    .execute();
  return new Map(rows.map((row) => [row.state, Number(row.count)]));
}

/** Cases each organisation holds now (claimed or active): the load the routing engine weighs. */
export async function countActiveCasesByOrg(db: DbExecutor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("cases")
    .select(["org_id", (eb) => eb.fn.countAll<number>().as("count")])
    .where("state", "in", ["claimed", "active"])
    .where("org_id", "is not", null)
    .groupBy("org_id")
    .execute();
  return new Map(rows.map((row) => [row.org_id!, Number(row.count)]));
}

/** For each case that has been claimed: milliseconds from its creation to its first claim. */
export async function timesToFirstClaim(db: DbExecutor): Promise<number[]> {
  const rows = await db
    .selectFrom("case_history as claim")
    .innerJoin("cases", "cases.id", "claim.case_id")
    .select(["cases.created_at", (eb) => eb.fn.min("claim.at").as("first_claim")])
    .where("claim.to_state", "=", "claimed")
    .groupBy(["claim.case_id", "cases.created_at"])
    .execute();
  return rows.map((row) => Number(row.first_claim) - Number(row.created_at));
}

/**
 * For each case whose organisation has answered her through the relay: milliseconds from the case's creation to
 * the first responder message relayed into her room (notices the bridge sends on its own are not replies). Cases
 * whose relay records are gone (erased, anonymised) and direct-mode cases (nothing relayed) are not counted.
 */
export async function timesToFirstReply(db: DbExecutor): Promise<number[]> {
  const rows = await db
    .selectFrom("relay_events as e")
    .innerJoin("cases", "cases.id", "e.case_id")
    .whereRef("e.target_room_id", "=", "cases.survivor_room_id")
    .whereRef("e.source_room_id", "<>", "cases.survivor_room_id")
    .where("e.source_event_id", "not like", "bridge:%")
    .select(["cases.created_at", (eb) => eb.fn.min("e.relayed_at").as("first_reply")])
    .groupBy(["e.case_id", "cases.created_at"])
    .execute();
  return rows.map((row) => Number(row.first_reply) - Number(row.created_at));
}

/** Alerts by kind, for metrics. */
export async function countAlertsByKind(db: DbExecutor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("alerts")
    .select(["kind", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("kind")
    .execute();
  return new Map(rows.map((row) => [row.kind, Number(row.count)]));
}

/** Alerts after id `afterId`, oldest first; only unacknowledged ones when `unackedOnly`. */
export async function listAlertsPage(
  db: DbExecutor,
  filter: { unackedOnly: boolean; orgId?: string | undefined },
  afterId: number,
  limit: number,
): Promise<Alert[]> {
  let query = db.selectFrom("alerts").selectAll().where("id", ">", afterId);
  if (filter.unackedOnly) query = query.where("acked_by", "is", null);
  if (filter.orgId !== undefined) query = query.where("org_id", "=", filter.orgId);
  return query.orderBy("id").limit(limit).execute();
}
