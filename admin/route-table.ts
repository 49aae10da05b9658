// Every route of the admin API with who may call it: the one table the app registers from and the authorisation
// matrix test walks. A route is added here or it does not exist.
import { adminUserRoutes, registerAdminUserRoutes } from "./routes/admin-users.ts";
import { auditRoutes, registerAuditRoutes } from "./routes/audit.ts";
import { caseRoutes, registerCaseRoutes } from "./routes/cases.ts";
import { healthRoutes, registerHealthRoutes } from "./routes/health.ts";
import { organisationRoutes, registerOrganisationRoutes } from "./routes/organisations.ts";
import { registerRoutingRoutes, routingRoutes } from "./routes/routing.ts";
import { registerRoutingRuleRoutes, routingRuleRoutes } from "./routes/routing-rules.ts";
import { registerRetentionRoutes, retentionRoutes } from "./routes/retention.ts";
import { registerServiceRoutes, serviceRoutes } from "./routes/services.ts";
import { registerSignInRoutes, signInRoutes } from "./routes/sign-in.ts";
import { registerTokenRoutes, tokenRoutes } from "./routes/tokens.ts";
import type { Access } from "./access.ts";
import type { AdminApp } from "./env.ts";

export interface RouteTableEntry {
  readonly id: string;
  readonly access: Access;
  readonly route: { readonly method: string; readonly path: string };
}

export const ROUTE_TABLE: readonly RouteTableEntry[] = [
  ...healthRoutes,
  ...signInRoutes,
  ...tokenRoutes,
  ...adminUserRoutes,
  ...organisationRoutes,
  ...serviceRoutes,
  ...caseRoutes,
  ...routingRoutes,
  ...routingRuleRoutes,
  ...retentionRoutes,
  ...auditRoutes,
];

export function registerRoutes(app: AdminApp): void {
  registerHealthRoutes(app);
  registerSignInRoutes(app);
  registerTokenRoutes(app);
  registerAdminUserRoutes(app);
  registerOrganisationRoutes(app);
  registerServiceRoutes(app);
  registerCaseRoutes(app);
  registerRoutingRoutes(app);
  registerRoutingRuleRoutes(app);
  registerRetentionRoutes(app);
  registerAuditRoutes(app);
}
