// "Where would this case go, and why?": the live routing engine run on given triage facts, without side effects.
import { z } from "@hono/zod-openapi";
import { countActiveCasesByOrg } from "../../core/db/repositories/case-pages.ts";
import { getRoundRobinCursor, listOrganisations } from "../../core/db/repositories/organisations.ts";
import { listRoutingRules } from "../../core/db/repositories/routing-rules.ts";
import { CATEGORIES, PROVINCES } from "../../core/directory/taxonomy.ts";
import { CASE_LANGUAGES, explainDecision, organisationStateAt, REASON_CODES, route } from "../../core/routing/index.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { problem, problemResponses } from "../problem.ts";

const facts = z
  .strictObject({
    category: z.enum(CATEGORIES).nullable(),
    province: z.enum(PROVINCES).nullable(),
    serviceLanguage: z.enum(CASE_LANGUAGES).nullable(),
    urgent: z.boolean(),
    under18: z.boolean(),
    at: z.number().int().min(0).optional().openapi({ description: "Epoch ms to route at; default now" }),
  })
  .openapi("TriageFacts");

const reason = z.object({ code: z.enum(REASON_CODES), text: z.string() });

const decision = z
  .object({
    candidates: z.array(z.object({ orgId: z.string(), rank: z.number().int(), reasons: z.array(reason) })),
    excluded: z.array(z.object({ orgId: z.string(), reasons: z.array(reason) })),
    fallbackUsed: z.boolean(),
    ruleId: z.string().nullable(),
    explanation: z.string(),
  })
  .openapi("RoutingDecision");

export const simulateRouting = defineRoute(
  "routing.simulate",
  { roles: ["superadmin", "coordinator"] },
  {
    method: "post",
    path: "/v1/routing/simulate",
    summary: "The ordered candidates, with reasons, that live routing would choose for these facts now",
    request: { body: { required: true, content: { "application/json": { schema: facts } } } },
    responses: {
      200: { description: "The decision", content: { "application/json": { schema: decision } } },
      ...problemResponses("validation", "not-configured", "unsupported-media-type"),
    },
  },
);

export const routingRoutes = [simulateRouting];

export function registerRoutingRoutes(app: AdminApp): void {
  app.openapi(simulateRouting.route, async (c) => {
    const { db, now, routing } = c.var.deps;
    if (routing === undefined) return problem(c, "not-configured", "routing.organisationsFile is not set");
    const { at, ...caseFacts } = c.req.valid("json");
    const instant = new Date(at ?? now());
    const [organisations, loads, cursor, rules] = await Promise.all([
      listOrganisations(db),
      countActiveCasesByOrg(db),
      getRoundRobinCursor(db),
      listRoutingRules(db),
    ]);
    if (!organisations.some((org) => org.id === routing.fallbackOrgId)) {
      return problem(c, "not-configured", "the fallback organisation is not stored");
    }
    const result = route({
      facts: caseFacts,
      orgs: organisations.map((org) => organisationStateAt(org, instant, { activeCases: loads.get(org.id) ?? 0 })),
      rules,
      fallbackOrgId: routing.fallbackOrgId,
      roundRobinCursor: cursor,
    });
    return c.json(
      {
        candidates: result.candidates.map((candidate) => ({ ...candidate, reasons: [...candidate.reasons] })),
        excluded: result.excluded.map((exclusion) => ({ ...exclusion, reasons: [...exclusion.reasons] })),
        fallbackUsed: result.fallbackUsed,
        ruleId: result.ruleId ?? null,
        explanation: explainDecision(result),
      },
      200,
    );
  });
}
