// Who may call a route: declared once per route in the route table (admin/route-table.ts), enforced by
// admin/authorize.ts, walked by the authorisation matrix test.
import type { AdminRole } from "./principal.ts";

/**
 * How an org_admin's own organisation is checked on a route she may call:
 * - `org-param`: the `orgId` path parameter must be hers;
 * - `case-param`: the case named by the `code` path parameter must be held by her organisation;
 * - `service-param`: the directory service named by the `serviceId` path parameter must be run by her organisation;
 * - `body-org`: the `organisationId` of the JSON body must be hers;
 * - `filtered`: the handler shows her only her organisation's rows.
 */
export type OrgScope = "org-param" | "case-param" | "service-param" | "body-org" | "filtered";

export type Access =
  | { readonly public: true }
  | { readonly public?: false; readonly roles: readonly AdminRole[]; readonly orgScope?: OrgScope };

export const PUBLIC: Access = { public: true };

export function allows(access: Access, role: AdminRole): boolean {
  return access.public === true || access.roles.includes(role);
}
