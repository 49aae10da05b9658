// The service directory: what services exist, when they are open, and which ones a survivor should see.
// Pure domain: no I/O. The database adapter is core/db/repositories/services.ts; the YAML seed loader config/load-directory.ts.
export {
  CATEGORIES,
  NATIONWIDE,
  PROVINCES,
  SERVICE_AREAS,
  SERVICE_LANGUAGES,
  categories,
  isCategory,
  isProvince,
  provinces,
  type Category,
  type Province,
  type ServiceArea,
  type ServiceLanguage,
} from "./taxonomy.ts";
export type { LocalisedText, Service } from "./service.ts";
export {
  DEFAULT_TIME_ZONE,
  WEEKDAYS,
  canonicalTimeZone,
  formatHours,
  isOpenAt,
  isTimeZone,
  localTimeIn,
  minutesOfClockTime,
  type LocalTime,
  type OpeningHours,
  type TimeInterval,
  type Weekday,
} from "./hours.ts";
export {
  emergencyServices,
  isUrgentLine,
  searchServices,
  servesProvince,
  type ServiceMatch,
  type ServiceQuery,
} from "./search.ts";
export {
  parseService,
  parseServices,
  serviceSchema,
  validateService,
  validateServices,
  type DirectoryProblem,
  type ParseServiceResult,
  type ParseServicesResult,
} from "./validate.ts";
