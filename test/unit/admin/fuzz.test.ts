// Thousands of generated requests over every route: methods, path parameters, queries, headers and bodies, valid
// and not. No answer is a 5xx, every answer to a known route is as documented, and a rejected request changes
// nothing in the database except the audit log (which records it by design).
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../../../admin/app.ts";
import { ROUTE_TABLE } from "../../../admin/route-table.ts";
import { ADMIN_ROLES } from "../../../admin/principal.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { OpenApiContract, type OpenApiDocument } from "./openapi-contract.ts";
import { OTHER_ORG, OWN_ORG, ROUTE_EXAMPLES, seedScenario, type Scenario } from "./route-examples.ts";

const RUNS = 2_000;
/** Tables a rejected request may write to: the audit log records denials and failed mutations by design. */
const MAY_CHANGE = new Set(["audit_log"]);

let fixture: AdminFixture;
let scenario: Scenario;
let contract: OpenApiContract;
let tokens: string[];
let tables: string[];

beforeAll(async () => {
  fixture = await startAdminFixture({
    eraseCase: () => Promise.resolve({ ok: true }),
  });
  scenario = await seedScenario(fixture);
  contract = new OpenApiContract((await (await fixture.app.request("/v1/openapi.json")).json()) as OpenApiDocument);
  tokens = [BOOTSTRAP_TOKEN];
  for (const role of ADMIN_ROLES) tokens.push(await fixture.token(role, role === "org_admin" ? OWN_ORG : null));
  const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
    fixture.database.db,
  );
  tables = rows.rows.map((row) => row.name).filter((name) => !MAY_CHANGE.has(name) && !name.startsWith("sqlite_"));
});

afterAll(async () => {
  await fixture.close();
});

async function snapshot(): Promise<string> {
  const parts: unknown[] = [];
  for (const table of tables) {
    parts.push(table, (await sql`select * from ${sql.table(table)} order by 1`.execute(fixture.database.db)).rows);
  }
  return JSON.stringify(parts);
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

const pathValue = fc.oneof(
  fc.constantFrom(OWN_ORG, OTHER_ORG, "@ops:hub.example.org", "@x:evil.example", "none"),
  fc.constant(null).map(() => scenario.ownCase),
  fc.constant(null).map(() => scenario.otherCase),
  fc.string({ maxLength: 80 }),
  fc.constantFrom("..", "%2e%2e", "%00", "a".repeat(300), "' or 1=1 --"),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.json().map((text) => text),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        subject: fc.oneof(fc.string(), fc.integer()),
        role: fc.constantFrom("superadmin", "coordinator", "org_admin", "monitor", "root"),
        orgId: fc.oneof(fc.constant(null), fc.constantFrom(OWN_ORG, OTHER_ORG), fc.string()),
        expiresInSeconds: fc.oneof(fc.integer(), fc.double()),
        capacity: fc.anything(),
        responders: fc.anything(),
        category: fc.string(),
        accessToken: fc.string(),
        matrixServerName: fc.constantFrom("hub.example.org", "evil.example", ""),
        // directory services, routing rules, retention overrides
        id: fc.oneof(fc.string(), fc.constantFrom("own-org-counselling", "under-18-to-child-protection")),
        organisationId: fc.oneof(fc.constantFrom(OWN_ORG, OTHER_ORG), fc.string()),
        name: fc.oneof(fc.record({ km: fc.string(), en: fc.string() }), fc.anything()),
        offerTo: fc.oneof(fc.constant("any"), fc.array(fc.constantFrom(OWN_ORG, OTHER_ORG, "nobody")), fc.anything()),
        match: fc.anything(),
        position: fc.oneof(fc.integer(), fc.double(), fc.string()),
        messageLifetimeMs: fc.oneof(fc.integer(), fc.double(), fc.constant(-1)),
        graceAfterCloseMs: fc.oneof(fc.nat(), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constant("x".repeat(BODY_LIMIT_BYTES + 10)),
);

const request = fc.record({
  routeId: fc.constantFrom(...ROUTE_TABLE.map((entry) => entry.id)),
  useExample: fc.boolean(),
  method: fc.option(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), { freq: 4 }),
  params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
  query: fc.option(
    fc.dictionary(
      fc.constantFrom("limit", "cursor", "state", "orgId", "breached", "organisationId", "category", "province", "x"),
      printable(40),
      { maxKeys: 3 },
    ),
  ),
  auth: fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 0, max: ADMIN_ROLES.length }).map((index) => `Bearer ${tokens[index]}`),
    printable(60),
  ),
  contentType: fc.option(
    fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ),
  ),
  ifMatch: fc.option(fc.oneof(fc.constant("*"), printable(40))),
  body,
});

describe("fuzzing every route", () => {
  it(`answers ${RUNS} generated requests without a 5xx, as documented, and rejected ones change nothing`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const entry = ROUTE_TABLE.find((candidate) => candidate.id === input.routeId)!;
        let method = input.method ?? entry.route.method.toUpperCase();
        let path: string;
        let bodyText = input.body;
        if (input.useExample) {
          const example = await ROUTE_EXAMPLES[entry.id]!(fixture, scenario, "own");
          path = example.path;
          method = example.method;
          if (bodyText === undefined && example.body !== undefined) bodyText = JSON.stringify(example.body);
        } else {
          let index = 0;
          path = entry.route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(input.params[index++] ?? ""));
        }
        if (input.query) path += `?${new URLSearchParams(input.query).toString()}`;
        if (method === "GET") bodyText = undefined;
        const headers: Record<string, string> = {};
        if (input.auth !== undefined) headers["authorization"] = input.auth;
        if (input.contentType !== null) headers["content-type"] = input.contentType;
        if (input.ifMatch !== null) headers["if-match"] = input.ifMatch;

        const before = await snapshot();
        const response = await fixture.app.request(path, {
          method,
          headers,
          ...(bodyText !== undefined && { body: bodyText }),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get("content-type")).toBe("application/problem+json");
          expect(await snapshot(), `${method} ${path} → ${response.status} changed the database`).toBe(before);
        }
        // The path as the server sees it after URL normalisation (`/v1/admin-users/..` is `/v1/`).
        const served = new URL(path, "http://admin.test").pathname;
        const template = contract.templateOf(served);
        if (template !== undefined && method.toLowerCase() === entry.route.method && template === entry.route.path) {
          expect(await contract.check(method, served, response)).toEqual([]);
        }
        const text = await response.text();
        expect(text).not.toMatch(/\n\s+at /);
      }),
      { numRuns: RUNS },
    );
    // The generators reach past authorisation and validation, not only the front door.
    expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 600_000);
});
