// Cases: metadata only (code, state, organisation, times, SLA breaches, custody history). Never content, never the
// survivor's Matrix ID or room.
import { z } from "@hono/zod-openapi";
import { canOrganisationTake, transferCase as transferHeldCase } from "../../core/db/case-offer.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { getOrganisation } from "../../core/db/repositories/organisations.ts";
import { ackAlertsForCase } from "../../core/db/repositories/alerts.ts";
import { countSlaBreaches, listCasesPage, liveOfferHolders } from "../../core/db/repositories/case-pages.ts";
import { listCaseHistory } from "../../core/db/repositories/case-history.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { CASE_STATES, type Case } from "../../core/db/schema.ts";
import { defineRoute } from "../define-route.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../cursor.ts";
import type { AdminApp } from "../env.ts";
import { checkIfMatch, etagOf, ifMatchHeaders } from "../etag.ts";
import { problem, problemResponses } from "../problem.ts";

const caseCode = z.string().min(1).max(32).openapi({ example: "K7Q2-M4XP" });

const caseSummary = z
  .object({
    code: z.string(),
    state: z.enum(CASE_STATES),
    orgId: z.string().nullable().openapi({ description: "The organisation holding the case (claimed or active)" }),
    offeredTo: z.string().nullable().openapi({
      description: "While the case is offered: the organisation it is offered to, answerable for claiming it in time",
    }),
    offerDeadlineAt: z.number().int().nullable(),
    locale: z.string(),
    category: z.string().nullable(),
    province: z.string().nullable(),
    urgent: z.boolean(),
    under18: z.boolean(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    closedAt: z.number().int().nullable(),
    slaBreaches: z.number().int(),
  })
  .openapi("CaseSummary");

const historyEntry = z
  .object({
    at: z.number().int(),
    fromState: z.enum(CASE_STATES).nullable(),
    toState: z.enum(CASE_STATES),
    actor: z.string(),
    orgId: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi("CaseHistoryEntry");

const caseDetail = caseSummary.extend({ history: z.array(historyEntry) }).openapi("CaseDetail");

function summary(
  row: Case,
  breaches: number,
  offer: { orgId: string; deadlineAt: number } | undefined,
): z.infer<typeof caseSummary> {
  return {
    code: row.id,
    state: row.state,
    orgId: row.org_id,
    offeredTo: offer?.orgId ?? null,
    offerDeadlineAt: offer?.deadlineAt ?? null,
    locale: row.locale,
    category: row.category,
    province: row.province,
    urgent: row.urgent,
    under18: row.under18,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    slaBreaches: breaches,
  };
}

/** What an If-Match on a case action is compared with: changes whenever state, custody or time changes. */
function caseEtag(row: Case): string {
  return etagOf([row.id, row.state, row.org_id, row.updated_at]);
}

const cursorShape = z.strictObject({ c: z.number().int(), i: z.string().max(64) });
const codeParams = z.object({ code: caseCode.openapi({ param: { name: "code", in: "path" } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const listCases = defineRoute(
  "cases.list",
  { roles: ["superadmin", "coordinator", "monitor", "org_admin"], orgScope: "filtered" },
  {
    method: "get",
    path: "/v1/cases",
    summary: "Cases, oldest first, by page; filter by state, organisation and SLA breach",
    request: {
      query: z.object({
        ...pageQuery,
        state: z.enum(CASE_STATES).optional(),
        orgId: z.string().max(64).optional(),
        breached: z.enum(["true", "false"]).optional(),
      }),
    },
    responses: {
      200: json(z.object({ items: z.array(caseSummary), nextCursor: z.string().nullable() }), "A page of cases"),
      ...problemResponses("validation"),
    },
  },
);

export const getCase = defineRoute(
  "cases.get",
  { roles: ["superadmin", "coordinator", "monitor", "org_admin"], orgScope: "case-param" },
  {
    method: "get",
    path: "/v1/cases/{code}",
    summary: "One case's metadata and custody history; ETag for case actions",
    request: { params: codeParams },
    responses: {
      200: { ...json(caseDetail, "The case"), headers: z.object({ etag: z.string() }) },
      ...problemResponses("validation", "not-found", "other-organisation"),
    },
  },
);

const actionProblems = [
  "validation",
  "not-found",
  "other-organisation",
  "conflict",
  "precondition-failed",
  "precondition-required",
  "unsupported-media-type",
  "not-available",
] as const;

const actionResponses = {
  200: json(caseSummary, "The case after the action"),
  ...problemResponses(...actionProblems),
};

export const closeCase = defineRoute(
  "cases.close",
  { roles: ["superadmin", "coordinator", "org_admin"], orgScope: "case-param" },
  {
    method: "post",
    path: "/v1/cases/{code}/close",
    summary: "Close a case (the same transition as a responder's !close)",
    request: { params: codeParams, headers: ifMatchHeaders },
    responses: actionResponses,
  },
);

export const transferCase = defineRoute(
  "cases.transfer",
  { roles: ["superadmin", "coordinator", "org_admin"], orgScope: "case-param" },
  {
    method: "post",
    path: "/v1/cases/{code}/transfer",
    summary:
      "Offer a held case to another organisation that can take it now (the same transfer as !transfer; the router " +
      "posts the offer, the case is `offered` until that organisation claims it)",
    request: {
      params: codeParams,
      headers: ifMatchHeaders,
      body: {
        required: true,
        content: { "application/json": { schema: z.strictObject({ orgId: z.string().min(1).max(64) }) } },
      },
    },
    responses: {
      200: json(caseSummary, "The case after the action"),
      ...problemResponses(...actionProblems, "invalid-resource"),
    },
  },
);

export const eraseCase = defineRoute(
  "cases.erase",
  { roles: ["superadmin", "coordinator"] },
  {
    method: "post",
    path: "/v1/cases/{code}/erase",
    summary: "Erase a case: its rooms and messages everywhere, keeping only anonymised metadata",
    request: { params: codeParams, headers: ifMatchHeaders },
    responses: actionResponses,
  },
);

export const ackCaseAlerts = defineRoute(
  "cases.ack-alerts",
  { roles: ["superadmin", "coordinator", "monitor"] },
  {
    method: "post",
    path: "/v1/cases/{code}/alerts/ack",
    summary: "Mark every open alert of the case as seen (like !ack in the monitors' room)",
    request: { params: codeParams },
    responses: {
      200: json(z.object({ acknowledged: z.number().int() }), "How many alerts were acknowledged"),
      ...problemResponses("validation", "not-found"),
    },
  },
);

export const caseRoutes = [listCases, getCase, closeCase, transferCase, eraseCase, ackCaseAlerts];

type Db = Parameters<typeof getCaseByCode>[0];

/** Each case as the API shows it: custody (held or offered), breaches counted, in two queries for a whole page. */
async function summaries(db: Db, rows: readonly Case[]): Promise<Array<z.infer<typeof caseSummary>>> {
  const ids = rows.map((row) => row.id);
  const [breaches, offers] = await Promise.all([countSlaBreaches(db, ids), liveOfferHolders(db, ids)]);
  return rows.map((row) => summary(row, breaches.get(row.id) ?? 0, offers.get(row.id)));
}

async function actionResult(app: { db: Db }, code: string) {
  const row = await getCaseByCode(app.db, code);
  return row && (await summaries(app.db, [row]))[0];
}

export function registerCaseRoutes(app: AdminApp): void {
  app.openapi(listCases.route, async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid("query");
    const principal = c.var.principal!;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorShape);
    if (query.cursor !== undefined && after === undefined) return problem(c, "validation", "cursor is not valid");
    if (principal.role === "org_admin" && query.orgId !== undefined && query.orgId !== principal.orgId) {
      return problem(c, "other-organisation");
    }
    const orgId = principal.role === "org_admin" ? (principal.orgId ?? "") : query.orgId;
    const rows = await listCasesPage(
      db,
      { state: query.state, orgId, breached: query.breached === undefined ? undefined : query.breached === "true" },
      after && { createdAt: after.c, id: after.i },
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: await summaries(db, page),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ c: last.created_at, i: last.id }) : null,
      },
      200,
    );
  });

  app.openapi(getCase.route, async (c) => {
    const { db } = c.var.deps;
    const row = await getCaseByCode(db, c.req.valid("param").code);
    if (!row) return problem(c, "not-found", "no case with that code");
    const [shown] = await summaries(db, [row]);
    const history = await listCaseHistory(db, row.id);
    c.header("etag", caseEtag(row));
    return c.json(
      {
        ...shown!,
        history: history.map((entry) => ({
          at: entry.at,
          fromState: entry.from_state,
          toState: entry.to_state,
          actor: entry.actor,
          orgId: entry.org_id,
          reason: entry.reason,
        })),
      },
      200,
    );
  });

  app.openapi(closeCase.route, async (c) => {
    const { db, now } = c.var.deps;
    const { code } = c.req.valid("param");
    const row = await getCaseByCode(db, code);
    if (!row) return problem(c, "not-found", "no case with that code");
    const precondition = checkIfMatch(c, caseEtag(row));
    if (precondition) return precondition;
    const principal = c.var.principal!;
    const moved = await moveCase(db, {
      code,
      to: "closed",
      actor: `admin:${principal.subject}`,
      at: now(),
      reason: "closed-by-admin",
    });
    if (!moved.ok) {
      if (moved.reason === "not-found") return problem(c, "not-found", "no case with that code");
      return problem(
        c,
        "conflict",
        moved.reason === "stale" ? "the case changed meanwhile" : `a ${row.state} case cannot be closed`,
      );
    }
    return c.json((await actionResult({ db }, code))!, 200);
  });

  app.openapi(transferCase.route, async (c) => {
    const { db, now, routing } = c.var.deps;
    const { code } = c.req.valid("param");
    const { orgId } = c.req.valid("json");
    const row = await getCaseByCode(db, code);
    if (!row) return problem(c, "not-found", "no case with that code");
    const precondition = checkIfMatch(c, caseEtag(row));
    if (precondition) return precondition;
    if (routing === undefined) return problem(c, "not-available", "transfers need the router, which is not running");
    const principal = c.var.principal!;
    const at = now();
    // The same core function as a responder's !transfer: the router posts the offer on its next pass.
    const result = await transferHeldCase(db, {
      code,
      to: await getOrganisation(db, orgId),
      heldBy: principal.role === "org_admin" ? (principal.orgId ?? "") : undefined,
      actor: `admin:${principal.subject}`,
      at,
      canTake: (held) => canOrganisationTake(db, held, orgId, at),
    });
    if (!result.ok) {
      switch (result.reason) {
        case "not-found":
          return problem(c, "not-found", "no case with that code");
        case "unknown-organisation":
          return problem(c, "invalid-resource", "no organisation with that id");
        case "same-organisation":
          return problem(c, "invalid-resource", "the case is already with that organisation");
        case "not-held":
          return problem(c, "conflict", `a ${row.state} case cannot be transferred`);
        case "not-linked":
          return problem(c, "conflict", "that organisation has no queue room yet");
        case "cannot-take":
          return problem(c, "conflict", `that organisation ${result.detail}`);
        case "stale":
          return problem(c, "conflict", "the case changed meanwhile");
      }
    }
    return c.json((await actionResult({ db }, code))!, 200);
  });

  app.openapi(eraseCase.route, async (c) => {
    const { db, eraseCase: erase } = c.var.deps;
    const { code } = c.req.valid("param");
    const row = await getCaseByCode(db, code);
    if (!row) return problem(c, "not-found", "no case with that code");
    const precondition = checkIfMatch(c, caseEtag(row));
    if (precondition) return precondition;
    if (erase === undefined) return problem(c, "not-available", "erasure needs the retention capability");
    const result = await erase(code, `admin:${c.var.principal!.subject}`);
    if (!result.ok) return problem(c, result.reason, result.detail);
    return c.json((await actionResult({ db }, code))!, 200);
  });

  app.openapi(ackCaseAlerts.route, async (c) => {
    const { db, now } = c.var.deps;
    const { code } = c.req.valid("param");
    if (!(await getCaseByCode(db, code))) return problem(c, "not-found", "no case with that code");
    const acknowledged = await ackAlertsForCase(db, code, `admin:${c.var.principal!.subject}`, now());
    return c.json({ acknowledged }, 200);
  });
}
