// The media of each case in the hub's media repository, until retention deletes them.
import type { CaseMedia } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function recordCaseMedia(db: DbExecutor, media: readonly CaseMedia[]): Promise<void> {
  if (media.length === 0) return;
  await db
    .insertInto("case_media")
    .values([...media])
    .onConflict((conflict) => conflict.columns(["server_name", "media_id"]).doNothing())
    .execute();
}

/** The case's media uploaded at or before `uploadedBy` (every one of them when it is undefined), oldest first. */
export async function listCaseMedia(db: DbExecutor, caseId: string, uploadedBy?: number): Promise<CaseMedia[]> {
  let query = db.selectFrom("case_media").selectAll().where("case_id", "=", caseId);
  if (uploadedBy !== undefined) query = query.where("uploaded_at", "<=", uploadedBy);
  return query.orderBy("uploaded_at").orderBy("media_id").execute();
}

export async function forgetCaseMedia(db: DbExecutor, media: Pick<CaseMedia, "server_name" | "media_id">) {
  await db
    .deleteFrom("case_media")
    .where("server_name", "=", media.server_name)
    .where("media_id", "=", media.media_id)
    .execute();
}
