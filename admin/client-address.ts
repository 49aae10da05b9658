import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { AdminEnv } from "./env.ts";

/** The peer's address as the socket saw it (X-Forwarded-For is not trusted), or `unknown`. */
export function clientAddress(c: Context<AdminEnv>): string {
  const custom = c.var.deps.clientAddress;
  if (custom !== undefined) return custom(c.req.raw, c.env);
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
