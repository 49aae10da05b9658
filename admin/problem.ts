// Errors as RFC 9457 problem details. Each kind has a stable `type` URI a client can switch on; the title is fixed
// per type, the detail says what happened without echoing request content.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const PROBLEMS = {
  "bad-request": { status: 400, title: "The request is malformed" },
  validation: { status: 400, title: "The request does not match the schema" },
  unauthenticated: { status: 401, title: "A valid bearer token is required" },
  "openid-token-refused": { status: 401, title: "The Matrix OpenID token was refused" },
  forbidden: { status: 403, title: "Your role does not allow this" },
  "other-organisation": { status: 403, title: "This belongs to another organisation" },
  "server-not-in-coalition": { status: 403, title: "That homeserver is not part of the coalition" },
  "not-an-admin": { status: 403, title: "This Matrix account has no admin role" },
  "not-found": { status: 404, title: "No such resource" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "The resource changed state meanwhile" },
  "precondition-failed": { status: 412, title: "If-Match does not match the current ETag" },
  "payload-too-large": { status: 413, title: "The request body is too large" },
  "unsupported-media-type": { status: 415, title: "Send application/json" },
  "invalid-resource": { status: 422, title: "The result would not be valid" },
  "precondition-required": { status: 428, title: "Send If-Match with the ETag you last read" },
  "rate-limited": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  "not-available": { status: 501, title: "This action is not available in this deployment" },
  "not-configured": { status: 503, title: "This part of Haven is not configured" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemKind = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_PREFIX = "https://haven.invalid/problems/";

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export type Problem = z.infer<typeof problemSchema>;

export function problemBody(
  kind: ProblemKind,
  detail?: string,
  extra: Pick<Problem, "problems"> = {},
  requestId?: string,
): Problem {
  const { status, title } = PROBLEMS[kind];
  return {
    type: `${PROBLEM_TYPE_PREFIX}${kind}`,
    title,
    status,
    ...(detail !== undefined && { detail }),
    ...(requestId !== undefined && { requestId }),
    ...extra,
  };
}

/**
 * Answers with a problem. Typed `never` so a handler may return it whatever its success type: zod-openapi types
 * only JSON bodies, and the contract test checks problem responses against the document at run time.
 */
export function problem(c: Context, kind: ProblemKind, detail?: string, extra: Pick<Problem, "problems"> = {}): never {
  const requestId = c.get("requestId") as string | undefined;
  const body = problemBody(kind, detail, extra, requestId);
  return c.body(JSON.stringify(body), PROBLEMS[kind].status, { "content-type": "application/problem+json" }) as never;
}

/** The OpenAPI response entries for problems a route may answer with. */
export function problemResponses(...kinds: ProblemKind[]) {
  const responses: Record<
    number,
    { description: string; content: { "application/problem+json": { schema: typeof problemSchema } } }
  > = {};
  for (const kind of kinds) {
    const { status, title } = PROBLEMS[kind];
    const existing = responses[status];
    responses[status] = {
      description: existing ? `${existing.description}; ${title}` : title,
      content: { "application/problem+json": { schema: problemSchema } },
    };
  }
  return responses;
}
