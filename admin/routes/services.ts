// The service directory survivors search: read and edited through the same repository and checks that
// `haven directory import|export` and the intake bot use (core/directory, core/db/repositories/services.ts).
import { z } from "@hono/zod-openapi";
import { deleteService, getService, listServices, upsertService } from "../../core/db/repositories/services.ts";
import { CATEGORIES, PROVINCES, parseService, servesProvince, type Service } from "../../core/directory/index.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../cursor.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { checkIfMatch, etagOf, ifMatchHeaders } from "../etag.ts";
import { oneAtATime } from "../one-at-a-time.ts";
import { problem, problemResponses } from "../problem.ts";

const localised = z
  .object({ km: z.string(), en: z.string() })
  .openapi("LocalisedText", { description: "The same text in Khmer and in English; both required." });

const serviceSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    name: localised,
    description: localised,
    address: localised,
    categories: z.array(z.string()),
    provinces: z.array(z.string()),
    languages: z.array(z.string()),
    phone: z.string(),
    hours: z.looseObject({ timeZone: z.string() }),
    emergency: z.boolean(),
  })
  .openapi("Service", { description: "One entry of the service directory (core/directory `Service`)." });

/** A service as sent: checked by core/directory's `parseService`, whose problems come back as a 422. */
const serviceInput = z
  .record(z.string().max(64), z.unknown())
  .openapi("ServiceInput", { description: "A `Service`; `emergency` and `hours.timeZone` have defaults." });

const serviceParams = z.object({
  serviceId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "serviceId", in: "path" }, example: "sample-hotline" }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const withEtag = <T extends z.ZodType>(schema: T, description: string) => ({
  ...json(schema, description),
  headers: z.object({ etag: z.string() }),
});
const jsonBody = { required: true, content: { "application/json": { schema: serviceInput } } } as const;

const cursorShape = z.strictObject({ i: z.string().max(64) });

const readers = ["superadmin", "coordinator", "monitor", "org_admin"] as const;
const editors = ["superadmin", "coordinator", "org_admin"] as const;

export const listServicesRoute = defineRoute(
  "services.list",
  { roles: readers, orgScope: "filtered" },
  {
    method: "get",
    path: "/v1/services",
    summary: "The service directory by page, by id (an org_admin sees her organisation's services)",
    request: {
      query: z.object({
        ...pageQuery,
        organisationId: z.string().max(64).optional(),
        category: z.enum(CATEGORIES).optional(),
        province: z.enum(PROVINCES).optional(),
      }),
    },
    responses: {
      200: json(z.object({ items: z.array(serviceSchema), nextCursor: z.string().nullable() }), "A page of services"),
      ...problemResponses("validation", "other-organisation"),
    },
  },
);

export const getServiceRoute = defineRoute(
  "services.get",
  { roles: readers, orgScope: "service-param" },
  {
    method: "get",
    path: "/v1/services/{serviceId}",
    summary: "One service, with its ETag",
    request: { params: serviceParams },
    responses: {
      200: withEtag(serviceSchema, "The service"),
      ...problemResponses("validation", "not-found", "other-organisation"),
    },
  },
);

export const createServiceRoute = defineRoute(
  "services.create",
  { roles: editors, orgScope: "body-org" },
  {
    method: "post",
    path: "/v1/services",
    summary: "Add a service (an org_admin: one her organisation runs); survivors see it at once",
    request: { body: jsonBody },
    responses: {
      201: withEtag(serviceSchema, "The service as stored"),
      ...problemResponses("validation", "other-organisation", "conflict", "invalid-resource"),
    },
  },
);

export const patchServiceRoute = defineRoute(
  "services.patch",
  { roles: editors, orgScope: "service-param" },
  {
    method: "patch",
    path: "/v1/services/{serviceId}",
    summary: "Change top-level fields of a service (texts replace both languages together); needs If-Match",
    request: { params: serviceParams, headers: ifMatchHeaders, body: jsonBody },
    responses: {
      200: withEtag(serviceSchema, "The service after the change"),
      ...problemResponses(
        "validation",
        "not-found",
        "forbidden",
        "other-organisation",
        "invalid-resource",
        "precondition-failed",
        "precondition-required",
      ),
    },
  },
);

export const deleteServiceRoute = defineRoute(
  "services.delete",
  { roles: editors, orgScope: "service-param" },
  {
    method: "delete",
    path: "/v1/services/{serviceId}",
    summary: "Remove a service from the directory; needs If-Match",
    request: { params: serviceParams, headers: ifMatchHeaders },
    responses: {
      204: { description: "Removed" },
      ...problemResponses(
        "validation",
        "not-found",
        "other-organisation",
        "precondition-failed",
        "precondition-required",
      ),
    },
  },
);

export const serviceRoutes = [
  listServicesRoute,
  getServiceRoute,
  createServiceRoute,
  patchServiceRoute,
  deleteServiceRoute,
];

const asJson = (service: Service) => service as unknown as z.infer<typeof serviceSchema>;

export function registerServiceRoutes(app: AdminApp): void {
  const serialised = oneAtATime();

  app.openapi(listServicesRoute.route, async (c) => {
    const query = c.req.valid("query");
    const principal = c.var.principal!;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorShape);
    if (query.cursor !== undefined && after === undefined) return problem(c, "validation", "cursor is not valid");
    if (
      principal.role === "org_admin" &&
      query.organisationId !== undefined &&
      query.organisationId !== principal.orgId
    )
      return problem(c, "other-organisation");
    const organisationId = principal.role === "org_admin" ? principal.orgId : query.organisationId;
    const matching = (await listServices(c.var.deps.db)).filter(
      (service) =>
        (organisationId === undefined || service.organisationId === organisationId) &&
        (query.category === undefined || service.categories.includes(query.category)) &&
        (query.province === undefined || servesProvince(service, query.province)) &&
        (after === undefined || service.id > after.i),
    );
    const page = matching.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map(asJson),
        nextCursor: matching.length > query.limit && last ? encodeCursor({ i: last.id }) : null,
      },
      200,
    );
  });

  app.openapi(getServiceRoute.route, async (c) => {
    const service = await getService(c.var.deps.db, c.req.valid("param").serviceId);
    if (!service) return problem(c, "not-found", "no service with that id");
    c.header("etag", etagOf(service));
    return c.json(asJson(service), 200);
  });

  app.openapi(createServiceRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const parsed = parseService(c.req.valid("json"));
      if (!parsed.ok) return problem(c, "invalid-resource", "not a valid service", { problems: parsed.problems });
      if (await getService(db, parsed.service.id)) return problem(c, "conflict", "a service with that id exists");
      await upsertService(db, parsed.service, now());
      c.header("etag", etagOf(parsed.service));
      return c.json(asJson(parsed.service), 201);
    }),
  );

  app.openapi(patchServiceRoute.route, (c) =>
    serialised(async () => {
      const { db, now } = c.var.deps;
      const current = await getService(db, c.req.valid("param").serviceId);
      if (!current) return problem(c, "not-found", "no service with that id");
      const precondition = checkIfMatch(c, etagOf(current));
      if (precondition) return precondition;
      const patch = c.req.valid("json");
      if ("id" in patch && patch["id"] !== current.id) return problem(c, "invalid-resource", "cannot change: id");
      const movesOrg = "organisationId" in patch && patch["organisationId"] !== current.organisationId;
      if (movesOrg && c.var.principal!.role === "org_admin") {
        return problem(c, "forbidden", "an org_admin cannot give a service to another organisation");
      }
      const parsed = parseService({ ...current, ...patch });
      if (!parsed.ok)
        return problem(c, "invalid-resource", "the service would be invalid", { problems: parsed.problems });
      await upsertService(db, parsed.service, now());
      c.header("etag", etagOf(parsed.service));
      return c.json(asJson(parsed.service), 200);
    }),
  );

  app.openapi(deleteServiceRoute.route, (c) =>
    serialised(async () => {
      const { db } = c.var.deps;
      const current = await getService(db, c.req.valid("param").serviceId);
      if (!current) return problem(c, "not-found", "no service with that id");
      const precondition = checkIfMatch(c, etagOf(current));
      if (precondition) return precondition;
      await deleteService(db, current.id);
      return c.body(null, 204);
    }),
  );
}
