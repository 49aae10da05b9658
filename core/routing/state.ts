// Building the engine's input from what the router knows: organisations, the clock, counts from the database.
import { isCategory, isProvince } from "../directory/taxonomy.ts";
import { isOrganisationOpenAt, nextOpeningAfter, type Organisation } from "../organisations/index.ts";
import { CASE_LANGUAGES, type CaseFacts, type CaseLanguage, type OrganisationState } from "./types.ts";

export interface OrganisationLoad {
  /** Cases the organisation holds now (claimed or active). */
  readonly activeCases: number;
  /** Cases each responder holds now, by Matrix ID; omit when unknown. */
  readonly responderLoads?: Readonly<Record<string, number>> | undefined;
}

/** The organisation as it stands at `instant`: open or not (and when it opens next), and its load. */
export function organisationStateAt(
  organisation: Organisation,
  instant: Date,
  load: OrganisationLoad,
): OrganisationState {
  const openNow = isOrganisationOpenAt(organisation, instant);
  return {
    organisation,
    openNow,
    ...(openNow ? {} : { nextOpening: nextOpeningAfter(organisation, instant) }),
    activeCases: load.activeCases,
    ...(load.responderLoads === undefined ? {} : { responderLoads: load.responderLoads }),
  };
}

/** The triage columns of a stored case (core/db `cases` row), as written by the intake bot. */
export interface StoredTriage {
  readonly category: string | null;
  readonly province: string | null;
  readonly service_language: string | null;
  readonly urgent: boolean;
  readonly under18: boolean;
}

function isCaseLanguage(value: string): value is CaseLanguage {
  return (CASE_LANGUAGES as readonly string[]).includes(value);
}

/**
 * A stored case's triage as routing facts. A value Haven no longer knows (a category renamed since) reads as
 * "she did not say": that widens the organisations that match rather than leaving her with none.
 */
export function caseFactsFromStored(stored: StoredTriage): CaseFacts {
  const { category, province, service_language: language } = stored;
  return {
    category: category !== null && isCategory(category) ? category : null,
    province: province !== null && isProvince(province) ? province : null,
    serviceLanguage: language !== null && isCaseLanguage(language) ? language : null,
    urgent: stored.urgent,
    under18: stored.under18,
  };
}
