// Partner organisations: profiles, responders, hours, capacity, SLAs and routing mode, read and edited through the
// same repository and checks the router uses.
import { z } from "@hono/zod-openapi";
import { getOrganisation, listOrganisations, upsertOrganisation } from "../../core/db/repositories/organisations.ts";
import { parseOrganisation, type Organisation } from "../../core/organisations/index.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { checkIfMatch, etagOf, ifMatchHeaders } from "../etag.ts";
import { oneAtATime } from "../one-at-a-time.ts";
import { problem, problemResponses } from "../problem.ts";

/** What an org_admin may change in her own organisation's profile; the rest is the coordinators'. */
export const ORG_ADMIN_FIELDS: ReadonlySet<string> = new Set(["responders", "hours", "capacity", "staffLanguage"]);

/** Fields nobody changes through a PATCH: the id is the URL, the queue room is the router's. */
const FIXED_FIELDS = new Set(["id", "queueRoomId"]);

const organisationSchema = z
  .looseObject({ id: z.string(), homeserver: z.string(), queueRoomId: z.string().nullable() })
  .openapi("Organisation", { description: "A partner organisation's profile (core/organisations `Organisation`)." });

const orgParams = z.object({
  orgId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "orgId", in: "path" }, example: "ngo-a" }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const listOrganisationsRoute = defineRoute(
  "organisations.list",
  { roles: ["superadmin", "coordinator", "monitor", "org_admin"], orgScope: "filtered" },
  {
    method: "get",
    path: "/v1/organisations",
    summary: "Partner organisations (an org_admin sees her own)",
    responses: { 200: json(z.object({ items: z.array(organisationSchema) }), "The organisations") },
  },
);

export const getOrganisationRoute = defineRoute(
  "organisations.get",
  { roles: ["superadmin", "coordinator", "monitor", "org_admin"], orgScope: "org-param" },
  {
    method: "get",
    path: "/v1/organisations/{orgId}",
    summary: "One organisation's profile, with its ETag",
    request: { params: orgParams },
    responses: {
      200: { ...json(organisationSchema, "The organisation"), headers: z.object({ etag: z.string() }) },
      ...problemResponses("validation", "not-found", "other-organisation"),
    },
  },
);

export const patchOrganisationRoute = defineRoute(
  "organisations.patch",
  { roles: ["superadmin", "coordinator", "org_admin"], orgScope: "org-param" },
  {
    method: "patch",
    path: "/v1/organisations/{orgId}",
    summary:
      "Change top-level fields of a profile (an org_admin: responders, hours, capacity, staffLanguage); needs If-Match",
    request: {
      params: orgParams,
      headers: ifMatchHeaders,
      body: {
        required: true,
        content: {
          "application/json": { schema: z.record(z.string().max(64), z.unknown()).openapi("OrganisationPatch") },
        },
      },
    },
    responses: {
      200: {
        ...json(organisationSchema, "The organisation after the change"),
        headers: z.object({ etag: z.string() }),
      },
      ...problemResponses(
        "validation",
        "not-found",
        "other-organisation",
        "invalid-resource",
        "precondition-failed",
        "precondition-required",
        "unsupported-media-type",
      ),
    },
  },
);

export const organisationRoutes = [listOrganisationsRoute, getOrganisationRoute, patchOrganisationRoute];

export function registerOrganisationRoutes(app: AdminApp): void {
  // Two updates sent with the same ETag cannot both pass the If-Match check: the second sees the first's result.
  const serialised = oneAtATime();

  app.openapi(listOrganisationsRoute.route, async (c) => {
    const principal = c.var.principal!;
    const all = await listOrganisations(c.var.deps.db);
    const items = principal.role === "org_admin" ? all.filter((org) => org.id === principal.orgId) : all;
    return c.json({ items: items as unknown as z.infer<typeof organisationSchema>[] }, 200);
  });

  app.openapi(getOrganisationRoute.route, async (c) => {
    const organisation = await getOrganisation(c.var.deps.db, c.req.valid("param").orgId);
    if (!organisation) return problem(c, "not-found", "no organisation with that id");
    c.header("etag", etagOf(organisation));
    return c.json(organisation as unknown as z.infer<typeof organisationSchema>, 200);
  });

  app.openapi(patchOrganisationRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const current = await getOrganisation(db, c.req.valid("param").orgId);
      if (!current) return problem(c, "not-found", "no organisation with that id");
      const precondition = checkIfMatch(c, etagOf(current));
      if (precondition) return precondition;
      const patch = c.req.valid("json");
      const keys = Object.keys(patch);
      const fixed = keys.filter((key) => FIXED_FIELDS.has(key));
      if (fixed.length > 0) return problem(c, "invalid-resource", `cannot change: ${fixed.join(", ")}`);
      if (c.var.principal!.role === "org_admin") {
        const notHers = keys.filter((key) => !ORG_ADMIN_FIELDS.has(key));
        if (notHers.length > 0) return problem(c, "forbidden", `an org_admin cannot change: ${notHers.join(", ")}`);
      }
      const parsed = parseOrganisation({ ...current, ...patch });
      if (!parsed.ok)
        return problem(c, "invalid-resource", "the profile would be invalid", { problems: parsed.problems });
      const next: Organisation = parsed.organisation;
      await upsertOrganisation(db, next, now());
      c.header("etag", etagOf(next));
      return c.json(next as unknown as z.infer<typeof organisationSchema>, 200);
    }),
  );
}
