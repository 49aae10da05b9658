// The routing rules in the database, in order: what live routing, the routing simulation and the admin API read.
// Every row read back is checked against core/routing's rule schema, so a hand-edited row fails loudly, naming it.
import { errorMap, problemsOf } from "../../validation/zod-problems.ts";
import { routingRuleSchema, type RoutingRule } from "../../routing/index.ts";
import type { RoutingRulesTable } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

const SEEDED = "routing-rules-seeded";

function fromRow(row: Pick<RoutingRulesTable, "id" | "data">): RoutingRule {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw new Error(`routing_rules row ${JSON.stringify(row.id)}: data is not valid JSON`);
  }
  const result = routingRuleSchema.safeParse(
    { ...(typeof data === "object" && data !== null ? data : {}), id: row.id },
    {
      error: errorMap,
    },
  );
  if (!result.success) {
    const [first] = problemsOf(result.error);
    throw new Error(`routing_rules row ${JSON.stringify(row.id)} is invalid: ${first?.path}: ${first?.message}`);
  }
  return result.data;
}

/** Every rule, first to last. */
export async function listRoutingRules(db: DbExecutor): Promise<RoutingRule[]> {
  const rows = await db.selectFrom("routing_rules").select(["id", "data"]).orderBy("position").execute();
  return rows.map(fromRow);
}

/**
 * Makes the stored rules exactly `rules`, in that order (the caller has checked them with `parseRoutingRules`).
 * Runs in the caller's transaction when given one, else in its own: routing never sees a half-written list.
 */
export async function replaceRoutingRules(db: DbExecutor, rules: readonly RoutingRule[], at: number): Promise<void> {
  const replace = async (trx: DbExecutor): Promise<void> => {
    await trx.deleteFrom("routing_rules").execute();
    if (rules.length > 0) {
      await trx
        .insertInto("routing_rules")
        .values(
          rules.map(({ id, ...rest }, position) => ({ id, position, data: JSON.stringify(rest), updated_at: at })),
        )
        .execute();
    }
    await trx
      .insertInto("routing_state")
      .values({ key: SEEDED, value: "1", updated_at: at })
      .onConflict((conflict) => conflict.column("key").doNothing())
      .execute();
  };
  if (db.isTransaction) await replace(db);
  else await db.transaction().execute(replace);
}

/**
 * Stores the organisations file's rules the first time only: afterwards the database is where rules are kept
 * (even an empty list a coordinator chose). True when it stored them.
 */
export async function seedRoutingRules(db: DbExecutor, rules: readonly RoutingRule[], at: number): Promise<boolean> {
  const seed = async (trx: DbExecutor): Promise<boolean> => {
    const seeded = await trx.selectFrom("routing_state").select("key").where("key", "=", SEEDED).executeTakeFirst();
    if (seeded !== undefined) return false;
    await replaceRoutingRules(trx, rules, at);
    return true;
  };
  return db.isTransaction ? seed(db) : db.transaction().execute(seed);
}
