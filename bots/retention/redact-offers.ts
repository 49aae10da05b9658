import type { Kysely } from "kysely";
import type { MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import { getRetentionOverride } from "../../core/db/repositories/retention.ts";
import {
  listOffersToRedact,
  listOrgsWithOffersToRedact,
  recordOfferRedacted,
} from "../../core/db/repositories/offer-redactions.ts";
import { effectivePolicy, type RetentionPolicy } from "../../core/retention/policy.ts";
import type { Pace } from "./pace.ts";

export interface OfferRedactionDeps {
  db: Kysely<Database>;
  /** The router's client: it posted the offers, so it may redact them in queue rooms where it has no other power. */
  redacter: Pick<MatrixClient, "redactEvent">;
  hubPolicy: RetentionPolicy;
  wait: Pace;
  now: () => number;
}

/** Whether Synapse refused for good: the router has left the room, or the room or event is gone. */
const refusedForGood = (error: unknown): boolean => {
  const status = (error as { httpStatus?: number }).httpStatus;
  return status === 403 || status === 404;
};

/**
 * Redacts the offers in each organisation's queue room once the organisation's message lifetime has run. Queue
 * rooms live on the partners' servers, where Haven cannot purge anything: the redaction is what reaches them (their
 * own retention and redaction_retention_period do the rest). An offer is recorded once redacted, or once Synapse
 * refuses for good. Returns how many were redacted.
 */
export async function redactExpiredOffers(deps: OfferRedactionDeps): Promise<number> {
  const { db, now } = deps;
  let redacted = 0;
  for (const orgId of await listOrgsWithOffersToRedact(db)) {
    const policy = effectivePolicy(deps.hubPolicy, [await getRetentionOverride(db, "org", orgId)]);
    for (const offer of await listOffersToRedact(db, orgId, now() - policy.messageLifetimeMs)) {
      await deps.wait();
      try {
        await deps.redacter.redactEvent(offer.room_id, offer.event_id);
        redacted++;
      } catch (error) {
        if (!refusedForGood(error)) throw error;
      }
      await recordOfferRedacted(db, offer.id, now());
    }
  }
  return redacted;
}
