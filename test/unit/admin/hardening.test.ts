// The admin API's front door: headers, limits, content types, request IDs, rate limits, paging, ETags, and cases
// shown without anything that identifies the survivor.
import { afterEach, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../../../admin/app.ts";
import { PROBLEM_TYPE_PREFIX } from "../../../admin/problem.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { newCase, T0 } from "../db/fixtures.ts";
import { OWN_ORG, seedScenario } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const auth = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };

async function typeOf(response: Response): Promise<string> {
  return ((await response.json()) as { type: string }).type.slice(PROBLEM_TYPE_PREFIX.length);
}

describe("admin API hardening", () => {
  it("sends security headers, no CORS headers even to a cross-origin preflight, and a request ID", async () => {
    fixture = await startAdminFixture();
    const response = await fixture.app.request("/v1/cases", { headers: { ...auth, origin: "https://evil.example" } });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("strict-transport-security")).not.toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const preflight = await fixture.app.request("/v1/cases", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const echoed = await fixture.app.request("/healthz", { headers: { "x-request-id": "trace-123" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-123");
    const forged = await fixture.app.request("/healthz", { headers: { "x-request-id": "a\tb" } });
    expect(forged.headers.get("x-request-id")).not.toBe("a\tb");
  });

  it("refuses a body over the limit, a body that is not JSON, and malformed JSON, with problems", async () => {
    fixture = await startAdminFixture();
    const post = (body: string, contentType: string) =>
      fixture!.app.request("/v1/tokens", { method: "POST", headers: { ...auth, "content-type": contentType }, body });
    const big = await post(JSON.stringify({ subject: "x".repeat(BODY_LIMIT_BYTES) }), "application/json");
    expect(big.status).toBe(413);
    expect(await typeOf(big)).toBe("payload-too-large");
    const text = await post("role=superadmin", "application/x-www-form-urlencoded");
    expect(text.status).toBe(415);
    const malformed = await post("{", "application/json");
    expect(malformed.status).toBe(400);
    expect(await typeOf(malformed)).toBe("bad-request");
    const unknownKey = await post(
      JSON.stringify({ subject: "a", role: "monitor", expiresInSeconds: 600, admin: true }),
      "application/json",
    );
    expect(unknownKey.status).toBe(400);
    expect(await typeOf(unknownKey)).toBe("validation");
  });

  it("rate-limits sign-in attempts per client address, and failed authentications", async () => {
    fixture = await startAdminFixture({ rateLimits: { authPerIpPerMinute: 3, perTokenPerMinute: 1_000 } });
    const attempt = () =>
      fixture!.app.request("/v1/auth/matrix", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ accessToken: "t", matrixServerName: "hub.example.org" }),
      });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const wrongToken = await fixture.app.request("/v1/cases", { headers: { authorization: "Bearer nope" } });
    expect(wrongToken.status).toBe(429);
  });

  it("rate-limits each token", async () => {
    fixture = await startAdminFixture({ rateLimits: { authPerIpPerMinute: 1_000, perTokenPerMinute: 2 } });
    const token = await fixture.token("monitor");
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await fixture.app.request("/v1/cases", { headers: { authorization: `Bearer ${token}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("pages through cases with a cursor, each case once, in creation order; a forged cursor is refused", async () => {
    fixture = await startAdminFixture();
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const inserted = await insertCase(fixture.database.db, newCase({ created_at: T0 + (i % 3), org_id: OWN_ORG }));
      if (inserted.ok) codes.push(inserted.case.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "" : `&cursor=${cursor}`;
      const page = (await (await fixture.app.request(`/v1/cases?limit=3${query}`, { headers: auth })).json()) as {
        items: { code: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((item) => item.code));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect([...seen].sort()).toEqual([...codes].sort());
    expect(new Set(seen).size).toBe(7);
    const forged = await fixture.app.request(`/v1/cases?cursor=${Buffer.from("{}").toString("base64url")}`, {
      headers: auth,
    });
    expect(forged.status).toBe(400);
  });

  it("shows a case without the survivor's Matrix ID or room", async () => {
    fixture = await startAdminFixture();
    const scenario = await seedScenario(fixture);
    const text = await (await fixture.app.request(`/v1/cases/${scenario.ownCase}`, { headers: auth })).text();
    expect(text).not.toContain("@survivor:hub.test");
    expect(text).not.toContain("!room:hub.test");
    expect(JSON.parse(text)).not.toHaveProperty("survivorMxid");
  });

  it("needs the current ETag to change an organisation: none is 428, a stale one 412, the current one works once", async () => {
    fixture = await startAdminFixture();
    const path = `/v1/organisations/${OWN_ORG}`;
    const read = await fixture.app.request(path, { headers: auth });
    const etag = read.headers.get("etag")!;
    const current = (await read.json()) as { capacity: { maxActiveCases: number } };
    const patch = (ifMatch?: string) =>
      fixture!.app.request(path, {
        method: "PATCH",
        headers: { ...auth, "content-type": "application/json", ...(ifMatch !== undefined && { "if-match": ifMatch }) },
        body: JSON.stringify({
          capacity: { ...current.capacity, maxActiveCases: current.capacity.maxActiveCases + 1 },
        }),
      });
    expect((await patch()).status).toBe(428);
    expect((await patch('"stale"')).status).toBe(412);
    const first = await patch(etag);
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).not.toBe(etag);
    const lost = await patch(etag);
    expect(lost.status).toBe(412);
    const invalid = await fixture.app.request(path, {
      method: "PATCH",
      headers: { ...auth, "content-type": "application/json", "if-match": first.headers.get("etag")! },
      body: JSON.stringify({ capacity: { maxActiveCases: -1 } }),
    });
    expect(invalid.status).toBe(422);
    expect(await typeOf(invalid)).toBe("invalid-resource");
  });

  it("lets only one of two concurrent updates with the same ETag through", async () => {
    fixture = await startAdminFixture();
    const path = `/v1/organisations/${OWN_ORG}`;
    const read = await fixture.app.request(path, { headers: auth });
    const etag = read.headers.get("etag")!;
    const current = (await read.json()) as { capacity: { maxActiveCases: number } };
    const statuses = await Promise.all(
      [1, 2].map(
        async (extra) =>
          (
            await fixture!.app.request(path, {
              method: "PATCH",
              headers: { ...auth, "content-type": "application/json", "if-match": etag },
              body: JSON.stringify({
                capacity: { ...current.capacity, maxActiveCases: current.capacity.maxActiveCases + extra },
              }),
            })
          ).status,
      ),
    );
    expect([...statuses].sort()).toEqual([200, 412]);
  });

  it("closes a case through the case state machine, recorded in its history, once", async () => {
    fixture = await startAdminFixture();
    const scenario = await seedScenario(fixture);
    const path = `/v1/cases/${scenario.ownCase}`;
    const etag = (await fixture.app.request(path, { headers: auth })).headers.get("etag")!;
    const close = () =>
      fixture!.app.request(`${path}/close`, { method: "POST", headers: { ...auth, "if-match": etag } });
    const closed = await close();
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ state: "closed" });
    const detail = (await (await fixture.app.request(path, { headers: auth })).json()) as {
      history: { toState: string; actor: string }[];
    };
    expect(detail.history.at(-1)).toMatchObject({ toState: "closed", actor: "admin:bootstrap" });
    expect((await close()).status).toBe(412);
  });

  it("answers erase and transfer with 501 when the capabilities are not supplied", async () => {
    fixture = await startAdminFixture();
    const scenario = await seedScenario(fixture);
    const path = `/v1/cases/${scenario.ownCase}`;
    const etag = (await fixture.app.request(path, { headers: auth })).headers.get("etag")!;
    const erase = await fixture.app.request(`${path}/erase`, {
      method: "POST",
      headers: { ...auth, "if-match": etag },
    });
    expect(erase.status).toBe(501);
    expect(await typeOf(erase)).toBe("not-available");
  });

  it("passes the case code and the acting admin to an injected eraseCase", async () => {
    const calls: [string, string][] = [];
    fixture = await startAdminFixture({
      eraseCase: (code, actor) => {
        calls.push([code, actor]);
        return Promise.resolve({ ok: true });
      },
    });
    const scenario = await seedScenario(fixture);
    const path = `/v1/cases/${scenario.ownCase}`;
    const etag = (await fixture.app.request(path, { headers: auth })).headers.get("etag")!;
    const erase = await fixture.app.request(`${path}/erase`, {
      method: "POST",
      headers: { ...auth, "if-match": etag },
    });
    expect(erase.status).toBe(200);
    expect(calls).toEqual([[scenario.ownCase, "admin:bootstrap"]]);
  });
});
