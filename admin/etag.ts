// Strong ETags over a resource's representation, and the If-Match check that prevents lost updates.
import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AdminEnv } from "./env.ts";
import { problem } from "./problem.ts";

export function etagOf(representation: unknown): string {
  return `"${createHash("sha256").update(JSON.stringify(representation)).digest("base64url").slice(0, 27)}"`;
}

/** undefined when the request's If-Match names `current`; otherwise the problem response to send. */
export function checkIfMatch(c: Context<AdminEnv>, current: string): undefined | never {
  const ifMatch = c.req.header("if-match");
  if (ifMatch === undefined) return problem(c, "precondition-required");
  const listed = ifMatch.split(",").map((tag) => tag.trim());
  return listed.includes(current) || listed.includes("*") ? undefined : problem(c, "precondition-failed");
}

export const ifMatchHeaders = z.object({
  "if-match": z.string().max(512).optional().openapi({ description: "The ETag you last read (required)." }),
});
