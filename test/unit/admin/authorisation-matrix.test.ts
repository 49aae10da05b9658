// Every route × every role × her own organisation's resource and another's, generated from the route table:
// allowed requests get past authorisation, denied ones get 403 (401 without a token), and each denial is audited.
import { afterEach, describe, expect, it } from "vitest";
import { allows } from "../../../admin/access.ts";
import { ROUTE_TABLE, type RouteTableEntry } from "../../../admin/route-table.ts";
import { ADMIN_ROLES, type AdminRole } from "../../../admin/principal.ts";
import { PROBLEM_TYPE_PREFIX } from "../../../admin/problem.ts";
import { listAuditRecords } from "../../../core/db/repositories/audit-log.ts";
import { startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { OWN_ORG, ROUTE_EXAMPLES, seedScenario, send } from "./route-examples.ts";

type Target = "own" | "other";

const DENIALS = ["unauthenticated", "forbidden", "other-organisation"].map((kind) => `${PROBLEM_TYPE_PREFIX}${kind}`);

/** The problem type of a denial by authentication or authorisation, or undefined for any other answer. */
async function denial(response: Response): Promise<string | undefined> {
  if (response.headers.get("content-type") !== "application/problem+json") return undefined;
  const { type } = (await response.clone().json()) as { type: string };
  return DENIALS.includes(type) ? type : undefined;
}

function expectedAllowed(entry: RouteTableEntry, role: AdminRole, target: Target): boolean {
  if (!allows(entry.access, role)) return false;
  if (entry.access.public === true || role !== "org_admin") return true;
  const scope = entry.access.orgScope;
  return scope === "filtered" || target === "own";
}

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const fakeCapabilities = {
  eraseCase: () => Promise.resolve({ ok: true as const }),
};

describe("the route table", () => {
  it("has an example request for every route, and every route in the OpenAPI document is in the table", async () => {
    fixture = await startAdminFixture();
    expect(ROUTE_TABLE.map((entry) => entry.id).filter((id) => ROUTE_EXAMPLES[id] === undefined)).toEqual([]);
    const document = (await (await fixture.app.request("/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = ROUTE_TABLE.map((entry) => `${entry.route.method.toUpperCase()} ${entry.route.path}`);
    expect([...documented].sort()).toEqual([...declared].sort());
    expect(new Set(ROUTE_TABLE.map((entry) => entry.id)).size).toBe(ROUTE_TABLE.length);
  });
});

describe.each(ROUTE_TABLE.map((entry) => ({ id: entry.id, entry })))("$id", ({ id, entry }) => {
  const cases = ADMIN_ROLES.flatMap((role) =>
    (["own", "other"] as const).map((target) => ({ role, target, allowed: expectedAllowed(entry, role, target) })),
  );

  it.each(cases)("$role on $target organisation: allowed=$allowed", async ({ role, target, allowed }) => {
    fixture = await startAdminFixture(fakeCapabilities);
    const scenario = await seedScenario(fixture);
    const token = await fixture.token(role, role === "org_admin" ? OWN_ORG : null);
    const request = await ROUTE_EXAMPLES[id]!(fixture, scenario, target);
    const before = (await listAuditRecords(fixture.database.db, 0, 10_000)).length;
    const response = await send(fixture, request, token);
    if (allowed) {
      expect(await denial(response), `${request.method} ${request.path} → ${response.status}`).toBeUndefined();
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const audit = await listAuditRecords(fixture.database.db, 0, 10_000);
      expect(audit.length).toBe(before + 1);
      expect(audit.at(-1)).toMatchObject({ result: "403", action: `${request.method} ${id}` });
    }
  });

  it("without a token: 401 unless public", async () => {
    fixture = await startAdminFixture(fakeCapabilities);
    const scenario = await seedScenario(fixture);
    const response = await send(fixture, await ROUTE_EXAMPLES[id]!(fixture, scenario, "own"));
    if (entry.access.public === true) expect(await denial(response)).toBeUndefined();
    else {
      expect(response.status).toBe(401);
      expect(await denial(response)).toBe(`${PROBLEM_TYPE_PREFIX}unauthenticated`);
    }
  });
});

describe("org_admin on lists", () => {
  it("sees only her own organisation's cases and organisation, and cannot ask for another's", async () => {
    fixture = await startAdminFixture();
    const scenario = await seedScenario(fixture);
    const token = await fixture.token("org_admin", OWN_ORG);
    const cases = (await (await send(fixture, { method: "GET", path: "/v1/cases" }, token)).json()) as {
      items: { code: string; orgId: string }[];
    };
    expect(cases.items.map((item) => item.code)).toEqual([scenario.ownCase]);
    const orgs = (await (await send(fixture, { method: "GET", path: "/v1/organisations" }, token)).json()) as {
      items: { id: string }[];
    };
    expect(orgs.items.map((org) => org.id)).toEqual([OWN_ORG]);
    const other = await send(fixture, { method: "GET", path: "/v1/cases?orgId=sample-lotus-shelter" }, token);
    expect(other.status).toBe(403);
  });
});
