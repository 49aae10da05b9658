import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Case, Database } from "../../core/db/schema.ts";
import {
  getRoundRobinCursor,
  listOrganisations,
  setRoundRobinCursor,
} from "../../core/db/repositories/organisations.ts";
import {
  assessOrganisation,
  caseFactsFromStored,
  organisationStateAt,
  route,
  type OrganisationState,
  type RoutingRule,
} from "../../core/routing/index.ts";
import { CANNOT_TAKE_REASONS, type CannotTakeReason, type Choice } from "./router-bot.ts";

function isCannotTakeReason(code: string): code is CannotTakeReason {
  return (CANNOT_TAKE_REASONS as readonly string[]).includes(code);
}

export interface EngineRoutingDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** The coordinators' rules as they stand now (the database): read for every decision. */
  rules: () => Promise<readonly RoutingRule[]>;
  fallbackOrgId: string;
  now: () => number;
}

/** Cases each organisation holds now (claimed or active). */
async function activeCasesByOrg(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("cases")
    .select(["org_id", (eb) => eb.fn.countAll<number>().as("count")])
    .where("state", "in", ["claimed", "active"])
    .where("org_id", "is not", null)
    .groupBy("org_id")
    .execute();
  return new Map(rows.map((row) => [row.org_id!, Number(row.count)]));
}

async function organisationStates(deps: EngineRoutingDeps): Promise<OrganisationState[]> {
  const [organisations, loads] = await Promise.all([listOrganisations(deps.db), activeCasesByOrg(deps.db)]);
  const at = new Date(deps.now());
  return organisations.map((organisation) =>
    organisationStateAt(organisation, at, { activeCases: loads.get(organisation.id) ?? 0 }),
  );
}

/**
 * The router's questions answered by the routing engine (core/routing) over the organisations and loads in the
 * database: the same engine a coordinator's "why did this case go there?" uses.
 */
export function engineRouting(deps: EngineRoutingDeps): {
  choose: (theCase: Case, excludeOrgIds: readonly string[]) => Promise<Choice | undefined>;
  canTake: (
    theCase: Case,
    orgId: string,
  ) => Promise<{ ok: true } | { ok: false; reasons: readonly CannotTakeReason[] }>;
} {
  return {
    async choose(theCase, excludeOrgIds) {
      const decision = route({
        facts: caseFactsFromStored(theCase),
        orgs: await organisationStates(deps),
        rules: await deps.rules(),
        fallbackOrgId: deps.fallbackOrgId,
        roundRobinCursor: await getRoundRobinCursor(deps.db),
        excludeOrgIds,
      });
      await setRoundRobinCursor(deps.db, decision.nextRoundRobinCursor, deps.now());
      const first = decision.candidates[0];
      deps.logger.info(
        {
          caseCode: theCase.id,
          candidates: decision.candidates.map((c) => c.orgId),
          excluded: decision.excluded.map((e) => ({ orgId: e.orgId, why: e.reasons.map((r) => r.code) })),
          ruleId: decision.ruleId,
          fallbackUsed: decision.fallbackUsed,
        },
        "routing decision",
      );
      // The engine keeps the fallback as a last candidate even after it let its own offer lapse: then nobody is left.
      if (first === undefined || excludeOrgIds.includes(first.orgId)) return undefined;
      return {
        orgId: first.orgId,
        ruleId: decision.ruleId ?? null,
        fallbackUsed: decision.fallbackUsed && first.orgId === deps.fallbackOrgId,
      };
    },
    async canTake(theCase, orgId) {
      const state = (await organisationStates(deps)).find((s) => s.organisation.id === orgId);
      // The router only asks about organisations it knows; one deleted meanwhile has no queue room to go to.
      if (!state) return { ok: false, reasons: ["not-linked"] };
      const assessment = assessOrganisation(caseFactsFromStored(theCase), state);
      if (assessment.canTake) return { ok: true };
      return { ok: false, reasons: assessment.failed.map((reason) => reason.code).filter(isCannotTakeReason) };
    },
  };
}
