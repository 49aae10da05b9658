// One entry of the service directory: public information the coordinators keep, never survivor data.
import type { OpeningHours } from "./hours.ts";
import type { Category, ServiceArea, ServiceLanguage } from "./taxonomy.ts";

/** A text in every language the directory is shown in. Both are required and non-empty. */
export type LocalisedText = Readonly<Record<ServiceLanguage, string>>;

export interface Service {
  /** Stable, unique, lowercase (`a-z`, `0-9`, `-`, `_`): the key the database and admin API use. */
  readonly id: string;
  /** The partner organisation that runs the service (same id format). */
  readonly organisationId: string;
  readonly name: LocalisedText;
  readonly description: LocalisedText;
  readonly address: LocalisedText;
  /** At least one. */
  readonly categories: readonly Category[];
  /** At least one; `nationwide` matches every province. */
  readonly provinces: readonly ServiceArea[];
  /** Languages the staff speak with survivors; at least one. */
  readonly languages: readonly ServiceLanguage[];
  /** As dialled in Cambodia, e.g. `012 000 001` or `117`. */
  readonly phone: string;
  readonly hours: OpeningHours;
  /** Shown first when a survivor says she is in danger now. */
  readonly emergency: boolean;
}
