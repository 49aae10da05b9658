// Retention policies: the hub's (config, read-only here) and the overrides per category and organisation, which
// may only shorten it (core/retention `checkOverride`). Overrides live in retention_overrides, which the retention
// worker reads on every sweep to compute each case's policy and keep `m.room.retention` in its rooms in step.
import { z } from "@hono/zod-openapi";
import { getOrganisation } from "../../core/db/repositories/organisations.ts";
import {
  deleteRetentionOverride,
  casePolicy,
  getRetentionOverride,
  getStoredRetentionOverride,
  listCasesUnderOverride,
  listRetentionOverrides,
  setRetentionOverride,
} from "../../core/db/repositories/retention.ts";
import { CASE_STATES, RETENTION_SCOPES, type RetentionScope } from "../../core/db/schema.ts";
import { isCategory } from "../../core/directory/index.ts";
import {
  checkOverride,
  effectivePolicy,
  POLICY_FIELDS,
  type PolicyOverride,
  type RetentionPolicy,
} from "../../core/retention/policy.ts";
import type { DbExecutor } from "../../core/db/repositories/executor.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../cursor.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { checkIfMatch, etagOf, ifMatchHeaders } from "../etag.ts";
import { oneAtATime } from "../one-at-a-time.ts";
import { problem, problemResponses } from "../problem.ts";

const ms = z.number().int();
const policySchema = z
  .object({ messageLifetimeMs: ms, graceAfterCloseMs: ms, mediaLifetimeMs: ms, metadataLifetimeMs: ms })
  .openapi("RetentionPolicy", { description: "Every lifetime in milliseconds." });

const overrideSchema = z
  .object({
    scope: z.enum(RETENTION_SCOPES),
    scopeId: z.string(),
    messageLifetimeMs: ms.optional(),
    graceAfterCloseMs: ms.optional(),
    mediaLifetimeMs: ms.optional(),
    metadataLifetimeMs: ms.optional(),
    effective: policySchema.openapi({ description: "The hub's policy shortened by this override alone." }),
    updatedAt: z.number().int(),
  })
  .openapi("RetentionOverride", {
    description: "A category's or organisation's policy: only the lifetimes it shortens; the rest are the hub's.",
  });

const overrideInput = z.record(z.string().max(64), z.unknown()).openapi("RetentionOverrideInput", {
  description: `Some of ${POLICY_FIELDS.join(", ")}, each no longer than the hub's.`,
});

const policyParams = z.object({
  scope: z.enum(RETENTION_SCOPES).openapi({ param: { name: "scope", in: "path" }, example: "category" }),
  scopeId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "scopeId", in: "path" }, example: "online_abuse" }),
});

const caseUnderPolicy = z
  .object({
    code: z.string(),
    state: z.enum(CASE_STATES),
    orgId: z.string().nullable(),
    category: z.string().nullable(),
    rooms: z.number().int().openapi({ description: "Her room and the org-side rooms still on the hub." }),
    effective: policySchema,
  })
  .openapi("CaseUnderRetentionPolicy");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const withEtag = <T extends z.ZodType>(schema: T, description: string) => ({
  ...json(schema, description),
  headers: z.object({ etag: z.string() }),
});

const readers = ["superadmin", "coordinator", "monitor"] as const;
const editors = ["superadmin", "coordinator"] as const;

export const getHubPolicyRoute = defineRoute(
  "retention.hub-policy",
  { roles: readers },
  {
    method: "get",
    path: "/v1/retention/hub-policy",
    summary: "The hub's retention policy (from the config): no override may go beyond it",
    responses: { 200: json(policySchema, "The hub's policy"), ...problemResponses("not-configured") },
  },
);

export const listPoliciesRoute = defineRoute(
  "retention.list",
  { roles: readers },
  {
    method: "get",
    path: "/v1/retention/policies",
    summary: "The overrides of the hub's policy, by scope and id",
    request: { query: z.object(pageQuery) },
    responses: {
      200: json(z.object({ items: z.array(overrideSchema), nextCursor: z.string().nullable() }), "A page"),
      ...problemResponses("validation", "not-configured"),
    },
  },
);

export const getPolicyRoute = defineRoute(
  "retention.get",
  { roles: readers },
  {
    method: "get",
    path: "/v1/retention/policies/{scope}/{scopeId}",
    summary: "One category's or organisation's override, with its ETag",
    request: { params: policyParams },
    responses: {
      200: withEtag(overrideSchema, "The override"),
      ...problemResponses("validation", "not-found", "not-configured"),
    },
  },
);

export const putPolicyRoute = defineRoute(
  "retention.put",
  { roles: editors },
  {
    method: "put",
    path: "/v1/retention/policies/{scope}/{scopeId}",
    summary:
      "Set a category's or organisation's override (only shorter than the hub's); If-Match to replace one. " +
      "The retention worker applies it to the rooms at its next sweep, started at once",
    request: {
      params: policyParams,
      headers: ifMatchHeaders,
      body: { required: true, content: { "application/json": { schema: overrideInput } } },
    },
    responses: {
      200: withEtag(overrideSchema, "The override, replaced"),
      201: withEtag(overrideSchema, "The override, created"),
      ...problemResponses(
        "validation",
        "invalid-resource",
        "precondition-failed",
        "precondition-required",
        "not-configured",
      ),
    },
  },
);

export const deletePolicyRoute = defineRoute(
  "retention.delete",
  { roles: editors },
  {
    method: "delete",
    path: "/v1/retention/policies/{scope}/{scopeId}",
    summary: "Remove an override: its cases fall back to the hub's policy (or another override); needs If-Match",
    request: { params: policyParams, headers: ifMatchHeaders },
    responses: {
      204: { description: "Removed" },
      ...problemResponses("validation", "not-found", "precondition-failed", "precondition-required", "not-configured"),
    },
  },
);

export const listPolicyCasesRoute = defineRoute(
  "retention.cases",
  { roles: readers },
  {
    method: "get",
    path: "/v1/retention/policies/{scope}/{scopeId}/cases",
    summary:
      "The cases (and how many rooms of each) this override applies to, oldest first: those retention still acts " +
      "on. Room ids are not shown: her room is hers",
    request: { params: policyParams, query: z.object(pageQuery) },
    responses: {
      200: json(z.object({ items: z.array(caseUnderPolicy), nextCursor: z.string().nullable() }), "A page"),
      ...problemResponses("validation", "not-found", "not-configured"),
    },
  },
);

export const retentionRoutes = [
  getHubPolicyRoute,
  listPoliciesRoute,
  getPolicyRoute,
  putPolicyRoute,
  deletePolicyRoute,
  listPolicyCasesRoute,
];

function representation(
  hub: RetentionPolicy,
  scope: RetentionScope,
  scopeId: string,
  override: PolicyOverride,
  updatedAt: number,
): z.infer<typeof overrideSchema> {
  return { scope, scopeId, ...override, effective: effectivePolicy(hub, [override]), updatedAt };
}

/** What an If-Match on an override is compared with: its lifetimes, not when it was written. */
const overrideEtag = (scope: RetentionScope, scopeId: string, override: PolicyOverride) =>
  etagOf([scope, scopeId, POLICY_FIELDS.map((field) => override[field] ?? null)]);

async function scopeExists(db: DbExecutor, scope: RetentionScope, scopeId: string): Promise<boolean> {
  return scope === "category" ? isCategory(scopeId) : (await getOrganisation(db, scopeId)) !== undefined;
}

const listCursor = z.strictObject({ s: z.enum(RETENTION_SCOPES), i: z.string().max(64) });
const caseCursor = z.strictObject({ c: z.number().int(), i: z.string().max(64) });

export function registerRetentionRoutes(app: AdminApp): void {
  const serialised = oneAtATime();

  app.openapi(getHubPolicyRoute.route, (c) => {
    const { retention } = c.var.deps;
    if (retention === undefined) return problem(c, "not-configured", "no retention policy is configured");
    return c.json({ ...retention.hubPolicy }, 200);
  });

  app.openapi(listPoliciesRoute.route, async (c) => {
    const { db, retention } = c.var.deps;
    if (retention === undefined) return problem(c, "not-configured", "no retention policy is configured");
    const query = c.req.valid("query");
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, listCursor);
    if (query.cursor !== undefined && after === undefined) return problem(c, "validation", "cursor is not valid");
    const rows = await listRetentionOverrides(db, query.limit + 1, after && { scope: after.s, scopeId: after.i });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map((row) =>
          representation(retention.hubPolicy, row.scope, row.scopeId, row.override, row.updatedAt),
        ),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ s: last.scope, i: last.scopeId }) : null,
      },
      200,
    );
  });

  app.openapi(getPolicyRoute.route, async (c) => {
    const { db, retention } = c.var.deps;
    if (retention === undefined) return problem(c, "not-configured", "no retention policy is configured");
    const { scope, scopeId } = c.req.valid("param");
    const stored = await getStoredRetentionOverride(db, scope, scopeId);
    if (!stored) return problem(c, "not-found", "no override for that scope and id");
    c.header("etag", overrideEtag(scope, scopeId, stored.override));
    return c.json(representation(retention.hubPolicy, scope, scopeId, stored.override, stored.updatedAt), 200);
  });

  app.openapi(putPolicyRoute.route, (c) =>
    serialised(async () => {
      const { db, now, retention } = c.var.deps;
      if (retention === undefined) return problem(c, "not-configured", "no retention policy is configured");
      const { scope, scopeId } = c.req.valid("param");
      const current = await getRetentionOverride(db, scope, scopeId);
      if (current !== undefined) {
        const precondition = checkIfMatch(c, overrideEtag(scope, scopeId, current));
        if (precondition) return precondition;
      } else if (c.req.header("if-match") !== undefined) {
        return problem(c, "precondition-failed", "there is no override to replace");
      }
      if (!(await scopeExists(db, scope, scopeId))) {
        return problem(c, "invalid-resource", `no ${scope === "category" ? "category" : "organisation"} ${scopeId}`);
      }
      const checked = checkOverride(c.req.valid("json"), retention.hubPolicy);
      if (!checked.ok) return problem(c, "invalid-resource", "not a valid override", { problems: checked.problems });
      if (Object.keys(checked.policy).length === 0) {
        return problem(c, "invalid-resource", `set at least one of ${POLICY_FIELDS.join(", ")}`);
      }
      const at = now();
      await setRetentionOverride(db, scope, scopeId, checked.policy, at);
      retention.policyChanged?.();
      c.header("etag", overrideEtag(scope, scopeId, checked.policy));
      const body = representation(retention.hubPolicy, scope, scopeId, checked.policy, at);
      return current === undefined ? c.json(body, 201) : c.json(body, 200);
    }),
  );

  app.openapi(deletePolicyRoute.route, (c) =>
    serialised(async () => {
      const { db, retention } = c.var.deps;
      if (retention === undefined) return problem(c, "not-configured", "no retention policy is configured");
      const { scope, scopeId } = c.req.valid("param");
      const current = await getRetentionOverride(db, scope, scopeId);
      if (current === undefined) return problem(c, "not-found", "no override for that scope and id");
      const precondition = checkIfMatch(c, overrideEtag(scope, scopeId, current));
      if (precondition) return precondition;
      await deleteRetentionOverride(db, scope, scopeId);
      retention.policyChanged?.();
      return c.body(null, 204);
    }),
  );

  app.openapi(listPolicyCasesRoute.route, async (c) => {
    const { db, retention } = c.var.deps;
    if (retention === undefined) return problem(c, "not-configured", "no retention policy is configured");
    const { scope, scopeId } = c.req.valid("param");
    const query = c.req.valid("query");
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, caseCursor);
    if (query.cursor !== undefined && after === undefined) return problem(c, "validation", "cursor is not valid");
    if ((await getRetentionOverride(db, scope, scopeId)) === undefined) {
      return problem(c, "not-found", "no override for that scope and id");
    }
    const rows = await listCasesUnderOverride(
      db,
      scope,
      scopeId,
      query.limit + 1,
      after && { created_at: after.c, id: after.i },
    );
    const page = rows.slice(0, query.limit);
    const items = [];
    for (const { case: theCase, rooms } of page) {
      // The same policy the retention worker computes for the case: the hub's, shortened by both its overrides.
      const effective = await casePolicy(db, retention.hubPolicy, theCase);
      items.push({
        code: theCase.id,
        state: theCase.state,
        orgId: theCase.org_id,
        category: theCase.category,
        rooms,
        effective,
      });
    }
    const last = page.at(-1);
    return c.json(
      {
        items,
        nextCursor:
          rows.length > query.limit && last ? encodeCursor({ c: last.case.created_at, i: last.case.id }) : null,
      },
      200,
    );
  });
}
