// The people who may sign in to the admin API with their Matrix account, and the role each holds.
import type { AdminRole, AdminUser } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function getAdminUser(db: DbExecutor, userId: string): Promise<AdminUser | undefined> {
  return db.selectFrom("admin_users").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function listAdminUsers(db: DbExecutor): Promise<AdminUser[]> {
  return db.selectFrom("admin_users").selectAll().orderBy("user_id").execute();
}

export async function putAdminUser(
  db: DbExecutor,
  user: { userId: string; role: AdminRole; orgId: string | null; at: number },
): Promise<AdminUser> {
  const row = { user_id: user.userId, role: user.role, org_id: user.orgId, updated_at: user.at };
  return db
    .insertInto("admin_users")
    .values(row)
    .onConflict((conflict) =>
      conflict.column("user_id").doUpdateSet({ role: row.role, org_id: row.org_id, updated_at: row.updated_at }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteAdminUser(db: DbExecutor, userId: string): Promise<boolean> {
  const result = await db.deleteFrom("admin_users").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
