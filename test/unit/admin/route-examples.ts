// A well-formed request for every route of the admin API, built against a fixture: the authorisation matrix, the
// contract test and the fuzz test start from these. A route without an example fails those tests.
import { etagOf } from "../../../admin/etag.ts";
import { putAdminUser } from "../../../core/db/repositories/admin-users.ts";
import { insertAlert } from "../../../core/db/repositories/alerts.ts";
import { listLiveApiTokens } from "../../../core/db/repositories/api-tokens.ts";
import { appendCaseHistory } from "../../../core/db/repositories/case-history.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { getOrganisation, setQueueRoom } from "../../../core/db/repositories/organisations.ts";
import { setRetentionOverride } from "../../../core/db/repositories/retention.ts";
import { getService, listServices, replaceAllServices } from "../../../core/db/repositories/services.ts";
import { loadDirectoryFile } from "../../../config/load-directory.ts";
import { projectRoot } from "../../../config/project-root.ts";
import { join } from "node:path";
import { BOOTSTRAP_TOKEN, type AdminFixture } from "../../harness/admin-api.ts";
import { newCase, T0 } from "../db/fixtures.ts";

export const OWN_ORG = "sample-garment-workers";
export const OTHER_ORG = "sample-lotus-shelter";

export interface ExampleRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Scenario {
  /** A claimed case held by OWN_ORG, and one held by OTHER_ORG. */
  ownCase: string;
  otherCase: string;
  /** A directory service run by OWN_ORG, and one run by OTHER_ORG. */
  ownService: string;
  otherService: string;
}

/** Open around the clock and serving the scenario's cases: a transfer to it is possible at any hour. */
export const TRANSFER_TARGET = "sample-rumdoul-women";

export const OWN_SERVICE = "own-org-counselling";
export const OTHER_SERVICE = "other-org-shelter";

/** The sample directory, plus one service run by each of the two organisations. */
async function seedDirectory(fixture: AdminFixture): Promise<void> {
  const sample = loadDirectoryFile(join(projectRoot, "config/directory.sample.yaml"));
  const template = sample[0]!;
  await replaceAllServices(fixture.database.db, [
    ...sample,
    { ...template, id: OWN_SERVICE, organisationId: OWN_ORG },
    { ...template, id: OTHER_SERVICE, organisationId: OTHER_ORG },
  ]);
}

/** Two claimed cases (one per organisation) with history and an alert each, an admin user and a stored token. */
export async function seedScenario(fixture: AdminFixture): Promise<Scenario> {
  const { db } = fixture.database;
  const codes: string[] = [];
  for (const orgId of [OWN_ORG, OTHER_ORG]) {
    const inserted = await insertCase(
      db,
      newCase({ state: "claimed", org_id: orgId, category: "sexual_violence", province: "phnom_penh" }),
    );
    if (!inserted.ok) throw new Error("case code taken");
    const code = inserted.case.id;
    codes.push(code);
    await appendCaseHistory(db, {
      case_id: code,
      at: T0,
      from_state: null,
      to_state: "intake",
      actor: "@intake:hub.example.org",
      org_id: null,
      reason: null,
    });
    await appendCaseHistory(db, {
      case_id: code,
      at: T0 + 90_000,
      from_state: "offered",
      to_state: "claimed",
      actor: "@srey:ngo.example.org",
      org_id: orgId,
      reason: null,
    });
    await insertAlert(db, {
      kind: "offer-escalated",
      case_id: code,
      org_id: orgId,
      at: T0,
      event_id: null,
      acked_by: null,
      acked_at: null,
    });
  }
  await putAdminUser(db, { userId: "@ops:hub.example.org", role: "monitor", orgId: null, at: T0 });
  await fixture.token("monitor");
  for (const orgId of [OWN_ORG, OTHER_ORG, TRANSFER_TARGET])
    await setQueueRoom(db, orgId, `!queue-${orgId}:hub.example.org`);
  await seedDirectory(fixture);
  // Both cases are of this category, so the override applies to them.
  await setRetentionOverride(db, "category", "sexual_violence", { messageLifetimeMs: 86_400_000 }, T0);
  return { ownCase: codes[0]!, otherCase: codes[1]!, ownService: OWN_SERVICE, otherService: OTHER_SERVICE };
}

async function caseEtag(fixture: AdminFixture, code: string): Promise<string> {
  const response = await fixture.app.request(`/v1/cases/${code}`, {
    headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
  });
  return response.headers.get("etag") ?? '"none"';
}

const json = { "content-type": "application/json" };
const bootstrap = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };

/** The first rule of config/organisations.sample.yaml, which the fixture stores. */
export const SAMPLE_RULE = "under-18-to-child-protection";

async function etagAt(fixture: AdminFixture, path: string): Promise<string> {
  return (await fixture.app.request(path, { headers: bootstrap })).headers.get("etag") ?? '"none"';
}

/**
 * The example request for each route id. `target` says which organisation's resource to aim at where the route
 * has one (the authorisation matrix aims at her own and at the other).
 */
export const ROUTE_EXAMPLES: Record<
  string,
  (fixture: AdminFixture, scenario: Scenario, target: "own" | "other") => Promise<ExampleRequest>
> = {
  "health.live": async () => ({ method: "GET", path: "/healthz" }),
  "health.ready": async () => ({ method: "GET", path: "/readyz" }),
  metrics: async () => ({ method: "GET", path: "/v1/metrics" }),
  "auth.matrix": async () => ({
    method: "POST",
    path: "/v1/auth/matrix",
    headers: json,
    body: { accessToken: "not-a-real-token", matrixServerName: "hub.example.org" },
  }),
  "tokens.list": async () => ({ method: "GET", path: "/v1/tokens" }),
  "tokens.create": async () => ({
    method: "POST",
    path: "/v1/tokens",
    headers: json,
    body: { subject: "ops-dashboard", role: "org_admin", orgId: OWN_ORG, expiresInSeconds: 3600 },
  }),
  "tokens.revoke": async (fixture) => {
    const [token] = await listLiveApiTokens(fixture.database.db, Date.now());
    return { method: "DELETE", path: `/v1/tokens/${token?.id ?? "none"}` };
  },
  "admin-users.list": async () => ({ method: "GET", path: "/v1/admin-users" }),
  "admin-users.put": async () => ({
    method: "PUT",
    path: "/v1/admin-users/@alice:hub.example.org",
    headers: json,
    body: { role: "coordinator" },
  }),
  "admin-users.delete": async () => ({ method: "DELETE", path: "/v1/admin-users/@ops:hub.example.org" }),
  "organisations.list": async () => ({ method: "GET", path: "/v1/organisations" }),
  "organisations.get": async (_f, _s, target) => ({
    method: "GET",
    path: `/v1/organisations/${target === "own" ? OWN_ORG : OTHER_ORG}`,
  }),
  "organisations.patch": async (fixture, _s, target) => {
    const orgId = target === "own" ? OWN_ORG : OTHER_ORG;
    const current = (await getOrganisation(fixture.database.db, orgId))!;
    return {
      method: "PATCH",
      path: `/v1/organisations/${orgId}`,
      headers: { ...json, "if-match": etagOf(current) },
      body: { capacity: { ...current.capacity, maxActiveCases: current.capacity.maxActiveCases + 1 } },
    };
  },
  "services.list": async () => ({ method: "GET", path: "/v1/services?limit=5" }),
  "services.get": async (_f, scenario, target) => ({
    method: "GET",
    path: `/v1/services/${target === "own" ? scenario.ownService : scenario.otherService}`,
  }),
  "services.create": async (fixture, scenario, target) => {
    // The fuzz test may have deleted the scenario's services by now: any stored one will do as a template.
    const [template] = await listServices(fixture.database.db);
    return {
      method: "POST",
      path: "/v1/services",
      headers: json,
      body: { ...template, id: `new-${target}-service`, organisationId: target === "own" ? OWN_ORG : OTHER_ORG },
    };
  },
  "services.patch": async (fixture, scenario, target) => {
    const id = target === "own" ? scenario.ownService : scenario.otherService;
    const current = await getService(fixture.database.db, id);
    return {
      method: "PATCH",
      path: `/v1/services/${id}`,
      headers: { ...json, "if-match": current === undefined ? '"none"' : etagOf(current) },
      body: { phone: "012 000 099", name: { km: "សេវាថ្មី", en: "A new name" } },
    };
  },
  "services.delete": async (fixture, scenario, target) => {
    const id = target === "own" ? scenario.ownService : scenario.otherService;
    const current = await getService(fixture.database.db, id);
    return {
      method: "DELETE",
      path: `/v1/services/${id}`,
      headers: { "if-match": current === undefined ? '"none"' : etagOf(current) },
    };
  },
  "cases.list": async () => ({ method: "GET", path: "/v1/cases?limit=1" }),
  "cases.get": async (_f, scenario, target) => ({
    method: "GET",
    path: `/v1/cases/${target === "own" ? scenario.ownCase : scenario.otherCase}`,
  }),
  "cases.close": async (fixture, scenario, target) => {
    const code = target === "own" ? scenario.ownCase : scenario.otherCase;
    return { method: "POST", path: `/v1/cases/${code}/close`, headers: { "if-match": await caseEtag(fixture, code) } };
  },
  "cases.transfer": async (fixture, scenario, target) => {
    const code = target === "own" ? scenario.ownCase : scenario.otherCase;
    return {
      method: "POST",
      path: `/v1/cases/${code}/transfer`,
      headers: { ...json, "if-match": await caseEtag(fixture, code) },
      body: { orgId: TRANSFER_TARGET },
    };
  },
  "cases.erase": async (fixture, scenario, target) => {
    const code = target === "own" ? scenario.ownCase : scenario.otherCase;
    return { method: "POST", path: `/v1/cases/${code}/erase`, headers: { "if-match": await caseEtag(fixture, code) } };
  },
  "cases.ack-alerts": async (_f, scenario, target) => ({
    method: "POST",
    path: `/v1/cases/${target === "own" ? scenario.ownCase : scenario.otherCase}/alerts/ack`,
  }),
  "routing.simulate": async () => ({
    method: "POST",
    path: "/v1/routing/simulate",
    headers: json,
    body: {
      category: "workplace_harassment",
      province: "phnom_penh",
      serviceLanguage: "km",
      urgent: false,
      under18: false,
    },
  }),
  "routing-rules.list": async () => ({ method: "GET", path: "/v1/routing/rules?limit=1" }),
  "routing-rules.replace": async (fixture) => {
    const list = await fixture.app.request("/v1/routing/rules", { headers: bootstrap });
    const { items } = (await list.json()) as { items: { position: number }[] };
    return {
      method: "PUT",
      path: "/v1/routing/rules",
      headers: { ...json, "if-match": list.headers.get("etag") ?? '"none"' },
      body: items.reverse().map(({ position: _position, ...rule }) => rule),
    };
  },
  "routing-rules.create": async () => ({
    method: "POST",
    path: "/v1/routing/rules",
    headers: json,
    body: { id: "urgent-to-lotus", match: { urgent: true }, offerTo: [OTHER_ORG], position: 0 },
  }),
  "routing-rules.get": async () => ({ method: "GET", path: `/v1/routing/rules/${SAMPLE_RULE}` }),
  "routing-rules.put": async (fixture) => ({
    method: "PUT",
    path: `/v1/routing/rules/${SAMPLE_RULE}`,
    headers: { ...json, "if-match": await etagAt(fixture, `/v1/routing/rules/${SAMPLE_RULE}`) },
    body: { match: { ageGroup: "under18", urgent: true }, offerTo: [OTHER_ORG, OWN_ORG] },
  }),
  "routing-rules.delete": async (fixture) => ({
    method: "DELETE",
    path: `/v1/routing/rules/${SAMPLE_RULE}`,
    headers: { "if-match": await etagAt(fixture, `/v1/routing/rules/${SAMPLE_RULE}`) },
  }),
  "retention.hub-policy": async () => ({ method: "GET", path: "/v1/retention/hub-policy" }),
  "retention.list": async () => ({ method: "GET", path: "/v1/retention/policies?limit=5" }),
  "retention.get": async () => ({ method: "GET", path: "/v1/retention/policies/category/sexual_violence" }),
  "retention.put": async (fixture) => {
    const etag = (await fixture.app.request("/v1/retention/policies/category/sexual_violence", { headers: bootstrap }))
      .headers;
    return {
      method: "PUT",
      path: "/v1/retention/policies/category/sexual_violence",
      headers: { ...json, "if-match": etag.get("etag") ?? '"none"' },
      body: { messageLifetimeMs: 3_600_000, graceAfterCloseMs: 600_000 },
    };
  },
  "retention.delete": async (fixture) => {
    const etag = (await fixture.app.request("/v1/retention/policies/category/sexual_violence", { headers: bootstrap }))
      .headers;
    return {
      method: "DELETE",
      path: "/v1/retention/policies/category/sexual_violence",
      headers: { "if-match": etag.get("etag") ?? '"none"' },
    };
  },
  "retention.cases": async () => ({
    method: "GET",
    path: "/v1/retention/policies/category/sexual_violence/cases?limit=5",
  }),
  "audit.list": async () => ({ method: "GET", path: "/v1/audit?limit=2" }),
  "audit.verify": async () => ({ method: "GET", path: "/v1/audit/verify" }),
};

export async function send(fixture: AdminFixture, request: ExampleRequest, token?: string): Promise<Response> {
  return fixture.app.request(request.path, {
    method: request.method,
    headers: { ...request.headers, ...(token !== undefined && { authorization: `Bearer ${token}` }) },
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
  });
}
