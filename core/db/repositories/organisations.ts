// Partner organisations in the database, and the router's round-robin cursor. Every row read back is checked
// against the organisation schema, so a hand-edited or half-migrated row fails loudly, naming the organisation.
import { isRoomId, parseOrganisation, type Organisation } from "../../organisations/index.ts";
import type { NewOrganisationRow, OrganisationRow } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/** The parts of an Organisation kept in the `data` JSON column. */
type OrganisationData = Omit<Organisation, "id" | "queueRoomId">;

function toRow(organisation: Organisation, updatedAt: number): NewOrganisationRow {
  const { id, queueRoomId, ...rest } = organisation;
  const data: OrganisationData = rest;
  return { id, data: JSON.stringify(data), queue_room_id: queueRoomId, updated_at: updatedAt };
}

function fromRow(row: OrganisationRow): Organisation {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw new Error(`organisations row ${JSON.stringify(row.id)}: data is not valid JSON`);
  }
  const result = parseOrganisation({
    ...(typeof data === "object" && data !== null ? data : {}),
    id: row.id,
    queueRoomId: row.queue_room_id,
  });
  if (!result.ok) {
    const [first] = result.problems;
    throw new Error(`organisations row ${JSON.stringify(row.id)} is invalid: ${first?.path}: ${first?.message}`);
  }
  return result.organisation;
}

function assertUnique(organisations: readonly Organisation[]): void {
  const ids = new Set<string>();
  const rooms = new Set<string>();
  for (const { id, queueRoomId } of organisations) {
    if (ids.has(id)) throw new Error(`cannot store the organisations: id ${JSON.stringify(id)} is used twice`);
    ids.add(id);
    if (queueRoomId === null) continue;
    if (rooms.has(queueRoomId)) {
      throw new Error(`cannot store the organisations: queue room ${queueRoomId} is given to two organisations`);
    }
    rooms.add(queueRoomId);
  }
}

// Keeps each insert well under SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_BATCH = 100;

async function upsertRows(db: DbExecutor, rows: readonly NewOrganisationRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await db
      .insertInto("organisations")
      .values(rows.slice(start, start + INSERT_BATCH))
      .onConflict((conflict) =>
        conflict.column("id").doUpdateSet((eb) => ({
          data: eb.ref("excluded.data"),
          // A profile without a queue room (the YAML seed, an edit) keeps the room the router linked.
          queue_room_id: eb.fn.coalesce("excluded.queue_room_id", "organisations.queue_room_id"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}

/**
 * Adds the organisation, or replaces the stored profile with the same id. A null `queueRoomId` keeps the stored
 * link (unlink with `setQueueRoom(db, id, null)`). `updatedAt` (epoch ms) defaults to now.
 */
export async function upsertOrganisation(
  db: DbExecutor,
  organisation: Organisation,
  updatedAt: number = Date.now(),
): Promise<void> {
  await upsertRows(db, [toRow(organisation, updatedAt)]);
}

/**
 * Makes the stored organisations exactly `organisations` (e.g. after loading the YAML seed): those left out are
 * deleted, the others replaced, keeping each one's linked queue room unless the new profile names one. Runs in the
 * caller's transaction when given one, else in its own: readers never see a half-replaced list.
 */
export async function replaceAllOrganisations(
  db: DbExecutor,
  organisations: readonly Organisation[],
  updatedAt: number = Date.now(),
): Promise<void> {
  assertUnique(organisations);
  const rows = organisations.map((organisation) => toRow(organisation, updatedAt));
  const ids = organisations.map((organisation) => organisation.id);
  const replace = async (trx: DbExecutor): Promise<void> => {
    if (ids.length === 0) await trx.deleteFrom("organisations").execute();
    else await trx.deleteFrom("organisations").where("id", "not in", ids).execute();
    await upsertRows(trx, rows);
  };
  if (db.isTransaction) await replace(db);
  else await db.transaction().execute(replace);
}

export async function getOrganisation(db: DbExecutor, id: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The organisation whose queue room this is (where a claim arrived), if any. */
export async function getOrganisationByQueueRoom(db: DbExecutor, roomId: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom("organisations").selectAll().where("queue_room_id", "=", roomId).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** Every organisation, by id. */
export async function listOrganisations(db: DbExecutor): Promise<Organisation[]> {
  const rows = await db.selectFrom("organisations").selectAll().orderBy("id").execute();
  return rows.map(fromRow);
}

/** Removes the organisation; false when there was none with that id. */
export async function deleteOrganisation(db: DbExecutor, id: string): Promise<boolean> {
  const result = await db.deleteFrom("organisations").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Links the organisation's queue room (null: unlinks it). False when there is no such organisation. Throws for a
 * malformed room ID, and (a unique index) for a room already linked to another organisation.
 */
export async function setQueueRoom(
  db: DbExecutor,
  orgId: string,
  roomId: string | null,
  updatedAt: number = Date.now(),
): Promise<boolean> {
  if (roomId !== null && !isRoomId(roomId)) throw new Error(`not a room ID: ${JSON.stringify(roomId)}`);
  const result = await db
    .updateTable("organisations")
    .set({ queue_room_id: roomId, updated_at: updatedAt })
    .where("id", "=", orgId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

const ROUND_ROBIN_CURSOR = "round-robin-cursor";

/** Where round robin stands (`RoutingDecision.nextRoundRobinCursor` of the last case); 0 before the first. */
export async function getRoundRobinCursor(db: DbExecutor): Promise<number> {
  const row = await db
    .selectFrom("routing_state")
    .select("value")
    .where("key", "=", ROUND_ROBIN_CURSOR)
    .executeTakeFirst();
  if (row === undefined) return 0;
  const cursor = Number(row.value);
  if (!/^-?\d+$/.test(row.value) || !Number.isSafeInteger(cursor)) {
    throw new Error(`routing_state ${ROUND_ROBIN_CURSOR} is not a whole number: ${JSON.stringify(row.value)}`);
  }
  return cursor;
}

export async function setRoundRobinCursor(
  db: DbExecutor,
  cursor: number,
  updatedAt: number = Date.now(),
): Promise<void> {
  if (!Number.isSafeInteger(cursor)) throw new RangeError(`round-robin cursor must be a whole number, not ${cursor}`);
  await db
    .insertInto("routing_state")
    .values({ key: ROUND_ROBIN_CURSOR, value: String(cursor), updated_at: updatedAt })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: String(cursor), updated_at: updatedAt }))
    .execute();
}
