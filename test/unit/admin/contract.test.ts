// Every route's responses, for every role and for typical mistakes, validate against the served OpenAPI document.
import { afterEach, describe, expect, it } from "vitest";
import { ROUTE_TABLE } from "../../../admin/route-table.ts";
import { ADMIN_ROLES } from "../../../admin/principal.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { OpenApiContract, type OpenApiDocument } from "./openapi-contract.ts";
import { OWN_ORG, ROUTE_EXAMPLES, seedScenario, send, type ExampleRequest } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function contractOf(app: AdminFixture["app"]): Promise<OpenApiContract> {
  const document = (await (await app.request("/v1/openapi.json")).json()) as OpenApiDocument;
  expect(document.openapi).toBe("3.1.0");
  return new OpenApiContract(document);
}

const capabilities = {
  eraseCase: () => Promise.resolve({ ok: true as const }),
};

describe.each(ROUTE_TABLE.map((entry) => ({ id: entry.id })))("$id", ({ id }) => {
  it("answers every role, own and other organisation, as documented", async () => {
    const seen = new Set<number>();
    for (const role of ADMIN_ROLES) {
      for (const target of ["own", "other"] as const) {
        fixture = await startAdminFixture(capabilities);
        const contract = await contractOf(fixture.app);
        const scenario = await seedScenario(fixture);
        const token = await fixture.token(role, role === "org_admin" ? OWN_ORG : null);
        const request = await ROUTE_EXAMPLES[id]!(fixture, scenario, target);
        const response = await send(fixture, request, token);
        seen.add(response.status);
        expect(await contract.check(request.method, request.path, response)).toEqual([]);
        await fixture.close();
        fixture = undefined;
      }
    }
    expect([...seen].some((status) => status < 300 || id === "auth.matrix")).toBe(true);
  });

  it("answers mistakes as documented: no token, a wrong If-Match, no If-Match, a malformed body", async () => {
    fixture = await startAdminFixture();
    const contract = await contractOf(fixture.app);
    const scenario = await seedScenario(fixture);
    const example = await ROUTE_EXAMPLES[id]!(fixture, scenario, "own");
    const variants: ExampleRequest[] = [
      example,
      { ...example, headers: { ...example.headers, "if-match": '"stale"' } },
      {
        ...example,
        headers: Object.fromEntries(Object.entries(example.headers ?? {}).filter(([k]) => k !== "if-match")),
      },
      ...(example.method === "GET" ? [] : [{ ...example, body: { unexpected: true } }]),
    ];
    for (const [index, request] of variants.entries()) {
      const response = await send(fixture, request, index === 0 ? undefined : BOOTSTRAP_TOKEN);
      expect(await contract.check(request.method, request.path, response)).toEqual([]);
    }
  });
});

describe("the contract checker", () => {
  it("catches a response that does not match the document", async () => {
    fixture = await startAdminFixture();
    const contract = await contractOf(fixture.app);
    const wrong = new Response(JSON.stringify({ items: "not a list" }), {
      headers: { "content-type": "application/json" },
    });
    expect(await contract.check("GET", "/v1/cases", wrong)).not.toEqual([]);
    const undocumented = new Response("", { status: 418 });
    expect(await contract.check("GET", "/v1/cases", undocumented)).not.toEqual([]);
  });
});
