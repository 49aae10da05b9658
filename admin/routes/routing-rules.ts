// The coordinators' routing rules, in order: stored in the database (decision 0017) and read by live routing and
// `POST /v1/routing/simulate` for every decision, so a change here routes the next case. Every change is checked
// as a whole list by core/routing's `parseRoutingRules` (known organisations, unique ids, no unreachable rule).
import { z } from "@hono/zod-openapi";
import { listOrganisations } from "../../core/db/repositories/organisations.ts";
import { listRoutingRules, replaceRoutingRules } from "../../core/db/repositories/routing-rules.ts";
import type { DbExecutor } from "../../core/db/repositories/executor.ts";
import { parseRoutingRules, type RoutingRule } from "../../core/routing/index.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../cursor.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { checkIfMatch, etagOf, ifMatchHeaders } from "../etag.ts";
import { oneAtATime } from "../one-at-a-time.ts";
import { problem, problemResponses } from "../problem.ts";

const ruleSchema = z
  .object({
    id: z.string(),
    position: z.number().int().openapi({ description: "0 is tried first; the first rule that matches decides." }),
    description: z.string().optional(),
    match: z.looseObject({}),
    offerTo: z.union([z.literal("any"), z.array(z.string())]),
  })
  .openapi("RoutingRule", { description: "A routing rule (core/routing `RoutingRule`) and where it stands." });

const ruleInput = z.record(z.string().max(64), z.unknown()).openapi("RoutingRuleInput", {
  description: "A `RoutingRule` (id, description, match, offerTo); on create, `position` too (default: last).",
});

const ruleParams = z.object({
  ruleId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "ruleId", in: "path" }, example: "urgent-first" }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const withEtag = <T extends z.ZodType>(schema: T, description: string) => ({
  ...json(schema, description),
  headers: z.object({ etag: z.string() }),
});
const inputBody = <T extends z.ZodType>(schema: T) =>
  ({ required: true, content: { "application/json": { schema } } }) as const;

const readers = ["superadmin", "coordinator", "monitor"] as const;
const editors = ["superadmin", "coordinator"] as const;
const changeProblems = problemResponses(
  "validation",
  "not-found",
  "conflict",
  "invalid-resource",
  "precondition-failed",
  "precondition-required",
);

export const listRulesRoute = defineRoute(
  "routing-rules.list",
  { roles: readers },
  {
    method: "get",
    path: "/v1/routing/rules",
    summary: "The routing rules in the order they are tried, by page; the ETag is the whole list's (for PUT)",
    request: { query: z.object(pageQuery) },
    responses: {
      200: withEtag(z.object({ items: z.array(ruleSchema), nextCursor: z.string().nullable() }), "A page"),
      ...problemResponses("validation"),
    },
  },
);

export const replaceRulesRoute = defineRoute(
  "routing-rules.replace",
  { roles: editors },
  {
    method: "put",
    path: "/v1/routing/rules",
    summary: "Replace the whole ordered list (to reorder); needs the list's If-Match",
    request: { headers: ifMatchHeaders, body: inputBody(z.array(ruleInput).max(500)) },
    responses: { 200: withEtag(z.object({ items: z.array(ruleSchema) }), "The rules now"), ...changeProblems },
  },
);

export const createRuleRoute = defineRoute(
  "routing-rules.create",
  { roles: editors },
  {
    method: "post",
    path: "/v1/routing/rules",
    summary: "Add a rule at `position` (default: last); the next case is routed with it",
    request: { body: inputBody(ruleInput) },
    responses: { 201: withEtag(ruleSchema, "The rule as stored"), ...changeProblems },
  },
);

export const getRuleRoute = defineRoute(
  "routing-rules.get",
  { roles: readers },
  {
    method: "get",
    path: "/v1/routing/rules/{ruleId}",
    summary: "One rule and where it stands, with its ETag",
    request: { params: ruleParams },
    responses: { 200: withEtag(ruleSchema, "The rule"), ...problemResponses("validation", "not-found") },
  },
);

export const putRuleRoute = defineRoute(
  "routing-rules.put",
  { roles: editors },
  {
    method: "put",
    path: "/v1/routing/rules/{ruleId}",
    summary: "Replace one rule where it stands; needs If-Match",
    request: { params: ruleParams, headers: ifMatchHeaders, body: inputBody(ruleInput) },
    responses: { 200: withEtag(ruleSchema, "The rule after the change"), ...changeProblems },
  },
);

export const deleteRuleRoute = defineRoute(
  "routing-rules.delete",
  { roles: editors },
  {
    method: "delete",
    path: "/v1/routing/rules/{ruleId}",
    summary: "Remove a rule; needs If-Match",
    request: { params: ruleParams, headers: ifMatchHeaders },
    responses: { 204: { description: "Removed" }, ...changeProblems },
  },
);

export const routingRuleRoutes = [
  listRulesRoute,
  replaceRulesRoute,
  createRuleRoute,
  getRuleRoute,
  putRuleRoute,
  deleteRuleRoute,
];

type RuleJson = z.infer<typeof ruleSchema>;
const asJson = (rule: RoutingRule, position: number): RuleJson => ({ ...rule, position }) as unknown as RuleJson;
export const listEtag = (rules: readonly RoutingRule[]): string => etagOf(rules);
const ruleEtag = (rule: RoutingRule, position: number): string => etagOf([rule, position]);

type Checked = { ok: true; rules: RoutingRule[] } | { ok: false; problems: { path: string; message: string }[] };

/** The list as a whole, checked against the organisations stored now. */
async function checkList(db: DbExecutor, list: readonly unknown[]): Promise<Checked> {
  const orgIds = (await listOrganisations(db)).map((org) => org.id);
  return parseRoutingRules(list, orgIds);
}

const cursorShape = z.strictObject({ p: z.number().int().min(0) });

export function registerRoutingRuleRoutes(app: AdminApp): void {
  const serialised = oneAtATime();

  app.openapi(listRulesRoute.route, async (c) => {
    const query = c.req.valid("query");
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorShape);
    if (query.cursor !== undefined && after === undefined) return problem(c, "validation", "cursor is not valid");
    const rules = await listRoutingRules(c.var.deps.db);
    const start = after === undefined ? 0 : after.p + 1;
    const page = rules.slice(start, start + query.limit);
    const end = start + page.length;
    c.header("etag", listEtag(rules));
    return c.json(
      {
        items: page.map((rule, index) => asJson(rule, start + index)),
        nextCursor: end < rules.length && page.length > 0 ? encodeCursor({ p: end - 1 }) : null,
      },
      200,
    );
  });

  app.openapi(replaceRulesRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const precondition = checkIfMatch(c, listEtag(await listRoutingRules(db)));
      if (precondition) return precondition;
      const checked = await checkList(db, c.req.valid("json"));
      if (!checked.ok)
        return problem(c, "invalid-resource", "the rules would be invalid", { problems: checked.problems });
      await replaceRoutingRules(db, checked.rules, now());
      c.header("etag", listEtag(checked.rules));
      return c.json({ items: checked.rules.map(asJson) }, 200);
    }),
  );

  app.openapi(createRuleRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const { position: asked, ...rule } = c.req.valid("json");
      const rules = await listRoutingRules(db);
      if (asked !== undefined && (!Number.isSafeInteger(asked) || (asked as number) < 0)) {
        return problem(c, "invalid-resource", "position must be a whole number from 0", {
          problems: [{ path: "position", message: "expected a whole number from 0" }],
        });
      }
      if (rules.some((existing) => existing.id === rule["id"])) {
        return problem(c, "conflict", "a rule with that id exists");
      }
      const position = Math.min((asked as number | undefined) ?? rules.length, rules.length);
      const checked = await checkList(db, [...rules.slice(0, position), rule, ...rules.slice(position)]);
      if (!checked.ok)
        return problem(c, "invalid-resource", "the rules would be invalid", { problems: checked.problems });
      await replaceRoutingRules(db, checked.rules, now());
      const stored = checked.rules[position]!;
      c.header("etag", ruleEtag(stored, position));
      return c.json(asJson(stored, position), 201);
    }),
  );

  app.openapi(getRuleRoute.route, async (c) => {
    const rules = await listRoutingRules(c.var.deps.db);
    const position = rules.findIndex((rule) => rule.id === c.req.valid("param").ruleId);
    if (position < 0) return problem(c, "not-found", "no rule with that id");
    c.header("etag", ruleEtag(rules[position]!, position));
    return c.json(asJson(rules[position]!, position), 200);
  });

  app.openapi(putRuleRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const { ruleId } = c.req.valid("param");
      const rules = await listRoutingRules(db);
      const position = rules.findIndex((rule) => rule.id === ruleId);
      if (position < 0) return problem(c, "not-found", "no rule with that id");
      const precondition = checkIfMatch(c, ruleEtag(rules[position]!, position));
      if (precondition) return precondition;
      const input = c.req.valid("json");
      if ("id" in input && input["id"] !== ruleId) return problem(c, "invalid-resource", "cannot change: id");
      const list: unknown[] = [...rules];
      list[position] = { ...input, id: ruleId };
      const checked = await checkList(db, list);
      if (!checked.ok)
        return problem(c, "invalid-resource", "the rules would be invalid", { problems: checked.problems });
      await replaceRoutingRules(db, checked.rules, now());
      const stored = checked.rules[position]!;
      c.header("etag", ruleEtag(stored, position));
      return c.json(asJson(stored, position), 200);
    }),
  );

  app.openapi(deleteRuleRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const rules = await listRoutingRules(db);
      const position = rules.findIndex((rule) => rule.id === c.req.valid("param").ruleId);
      if (position < 0) return problem(c, "not-found", "no rule with that id");
      const precondition = checkIfMatch(c, ruleEtag(rules[position]!, position));
      if (precondition) return precondition;
      await replaceRoutingRules(
        db,
        rules.filter((_rule, index) => index !== position),
        now(),
      );
      return c.body(null, 204);
    }),
  );
}
