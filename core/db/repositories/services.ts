// The service directory in the database. Rows hold public directory data only; every row read back is checked
// against the directory's schema, so a hand-edited or half-migrated row fails loudly, naming the service.
import { parseService, type Service } from "../../directory/index.ts";
import type { DirectoryServiceRow, NewDirectoryServiceRow } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/** The parts of a Service kept in the `data` JSON column. */
type ServiceData = Omit<Service, "id" | "organisationId" | "phone" | "emergency">;

function toRow(service: Service, updatedAt: number): NewDirectoryServiceRow {
  const { id, organisationId, phone, emergency, ...rest } = service;
  const data: ServiceData = rest;
  return { id, organisation_id: organisationId, data: JSON.stringify(data), phone, emergency, updated_at: updatedAt };
}

function fromRow(row: DirectoryServiceRow): Service {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw new Error(`directory_services row ${JSON.stringify(row.id)}: data is not valid JSON`);
  }
  const result = parseService({
    ...(typeof data === "object" && data !== null ? data : {}),
    id: row.id,
    organisationId: row.organisation_id,
    phone: row.phone,
    emergency: row.emergency,
  });
  if (!result.ok) {
    const [first] = result.problems;
    throw new Error(`directory_services row ${JSON.stringify(row.id)} is invalid: ${first?.path}: ${first?.message}`);
  }
  return result.service;
}

function assertUniqueIds(services: readonly Service[]): void {
  const seen = new Set<string>();
  for (const { id } of services) {
    if (seen.has(id)) throw new Error(`cannot store the directory: service id ${JSON.stringify(id)} is used twice`);
    seen.add(id);
  }
}

// Keeps each insert well under SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_BATCH = 100;

/**
 * Makes the stored directory exactly `services` (e.g. after loading the YAML seed). Runs in the caller's
 * transaction when given one, else in its own: readers never see a half-replaced directory.
 * `updatedAt` (epoch ms) defaults to now.
 */
export async function replaceAllServices(
  db: DbExecutor,
  services: readonly Service[],
  updatedAt: number = Date.now(),
): Promise<void> {
  assertUniqueIds(services);
  const rows = services.map((service) => toRow(service, updatedAt));
  const replace = async (trx: DbExecutor): Promise<void> => {
    await trx.deleteFrom("directory_services").execute();
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      await trx
        .insertInto("directory_services")
        .values(rows.slice(start, start + INSERT_BATCH))
        .execute();
    }
  };
  if (db.isTransaction) await replace(db);
  else await db.transaction().execute(replace);
}

/** Adds the service, or replaces the stored one with the same id. `updatedAt` (epoch ms) defaults to now. */
export async function upsertService(db: DbExecutor, service: Service, updatedAt: number = Date.now()): Promise<void> {
  const { id, ...changes } = toRow(service, updatedAt);
  await db
    .insertInto("directory_services")
    .values({ id, ...changes })
    .onConflict((conflict) => conflict.column("id").doUpdateSet(changes))
    .execute();
}

/** Removes the service; false when there was none with that id. */
export async function deleteService(db: DbExecutor, id: string): Promise<boolean> {
  const result = await db.deleteFrom("directory_services").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function getService(db: DbExecutor, id: string): Promise<Service | undefined> {
  const row = await db.selectFrom("directory_services").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** Every stored service, by id. Throws, naming the row, if a stored row is not a valid service. */
export async function listServices(db: DbExecutor): Promise<Service[]> {
  const rows = await db.selectFrom("directory_services").selectAll().orderBy("id").execute();
  return rows.map(fromRow);
}

export async function countServices(db: DbExecutor): Promise<number> {
  const { count } = await db
    .selectFrom("directory_services")
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return Number(count);
}
