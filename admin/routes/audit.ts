// The audit log, read-only, and the check of its hash chain.
import { z } from "@hono/zod-openapi";
import { listAuditRecords, verifyAuditChain } from "../../core/db/repositories/audit-log.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../cursor.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { problem, problemResponses } from "../problem.ts";

const record = z
  .object({
    seq: z.number().int(),
    at: z.number().int(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    result: z.string(),
    requestId: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditRecord");

export const listAudit = defineRoute(
  "audit.list",
  { roles: ["superadmin"] },
  {
    method: "get",
    path: "/v1/audit",
    summary: "Audit records, oldest first, by page",
    request: { query: z.object(pageQuery) },
    responses: {
      200: {
        description: "A page of records",
        content: {
          "application/json": { schema: z.object({ items: z.array(record), nextCursor: z.string().nullable() }) },
        },
      },
      ...problemResponses("validation"),
    },
  },
);

export const verifyAudit = defineRoute(
  "audit.verify",
  { roles: ["superadmin"] },
  {
    method: "get",
    path: "/v1/audit/verify",
    summary: "Recompute the hash chain; names the first record that was edited, removed or reordered",
    responses: {
      200: {
        description: "The verdict",
        content: {
          "application/json": {
            schema: z
              .object({ ok: z.boolean(), records: z.number().int(), brokenAtSeq: z.number().int().optional() })
              .openapi("AuditVerification"),
          },
        },
      },
    },
  },
);

export const auditRoutes = [listAudit, verifyAudit];

export function registerAuditRoutes(app: AdminApp): void {
  app.openapi(listAudit.route, async (c) => {
    const query = c.req.valid("query");
    const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor, z.number().int().min(0));
    if (after === undefined) return problem(c, "validation", "cursor is not valid");
    const rows = await listAuditRecords(c.var.deps.db, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map((row) => ({
          seq: Number(row.seq),
          at: row.at,
          actor: row.actor,
          action: row.action,
          target: row.target,
          result: row.result,
          requestId: row.request_id,
          prevHash: row.prev_hash,
          hash: row.hash,
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor(Number(last.seq)) : null,
      },
      200,
    );
  });

  app.openapi(verifyAudit.route, async (c) => c.json(await verifyAuditChain(c.var.deps.db), 200));
}
