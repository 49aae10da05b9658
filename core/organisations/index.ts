// Partner organisations: who takes cases, where their responders are, when and how many.
// Pure domain: no I/O. The database adapter is core/db/repositories/organisations.ts; the YAML seed loader
// config/load-organisations.ts; the router's use of it core/routing.
export {
  CAPACITY_BOUNDS,
  DEFAULT_CLAIM_SLA_MS,
  DEFAULT_REPLY_SLA_MS,
  DEFAULT_STAFF_LANGUAGE,
  ROUTING_MODES,
  SLA_BOUNDS_MS,
  type MatrixUserId,
  type Organisation,
  type OrganisationCapacity,
  type RoutingMode,
} from "./organisation.ts";
export { isMatrixUserId, isRoomId, isServerName, serverNameOf } from "./matrix-ids.ts";
export { isOrganisationOpenAt, nextOpeningAfter, type LocalOpening } from "./opening.ts";
export {
  organisationIdSchema,
  organisationSchema,
  parseOrganisation,
  parseOrganisations,
  validateOrganisation,
  validateOrganisations,
  type OrganisationProblem,
  type ParseOrganisationResult,
  type ParseOrganisationsResult,
} from "./validate.ts";
