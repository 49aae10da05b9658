import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { forgetCaseMedia, listCaseMedia } from "../../core/db/repositories/case-media.ts";
import type { SynapseAdmin } from "../../core/matrix/synapse-admin.ts";
import type { Pace } from "./pace.ts";

export interface MediaDeletionDeps {
  db: Kysely<Database>;
  admin: SynapseAdmin;
  wait: Pace;
}

/**
 * Deletes a case's media from the hub's media repository: those uploaded at or before `uploadedBy` (the media
 * lifetime has run), or all of them (undefined: the case is erased or its rooms are going). Each one is forgotten
 * once the hub no longer has it, so a run that stops half way is finished by the next. Returns how many went.
 */
export async function deleteCaseMedia(
  deps: MediaDeletionDeps,
  caseId: string,
  uploadedBy: number | undefined,
): Promise<number> {
  let deleted = 0;
  for (const media of await listCaseMedia(deps.db, caseId, uploadedBy)) {
    await deps.wait();
    const outcome = await deps.admin.deleteMedia(media.server_name, media.media_id);
    if (outcome === "gone") deleted++;
    await forgetCaseMedia(deps.db, media);
  }
  return deleted;
}
