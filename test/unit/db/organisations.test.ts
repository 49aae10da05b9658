import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrganisationsFile } from "../../../config/load-organisations.ts";
import { projectRoot } from "../../../config/project-root.ts";
import { MIGRATIONS } from "../../../core/db/migrations/index.ts";
import {
  deleteOrganisation,
  getOrganisation,
  getOrganisationByQueueRoom,
  getRoundRobinCursor,
  listOrganisations,
  replaceAllOrganisations,
  setQueueRoom,
  setRoundRobinCursor,
  upsertOrganisation,
} from "../../../core/db/repositories/organisations.ts";
import type { Organisation } from "../../../core/organisations/index.ts";
import { T0 } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const sample = loadOrganisationsFile(join(projectRoot, "config", "organisations.sample.yaml")).organisations;
const byId = (organisations: readonly Organisation[]): Organisation[] =>
  [...organisations].sort((a, b) => (a.id < b.id ? -1 : 1));

function sampleOrganisation(id: string): Organisation {
  const found = sample.find((organisation) => organisation.id === id);
  if (found === undefined) throw new Error(`no sample organisation ${id}`);
  return found;
}

const GARMENT = "sample-garment-workers";
const HOTLINE = "sample-rumdoul-women";
const ROOM = "!queue:ngo-a.example.org";

describe.each(ALL_TARGETS)("organisations on $name", (target) => {
  const databases = freshDatabases(target);

  it("creates the organisations and routing state tables from an empty database", async () => {
    const { db } = await databases.open();
    expect(MIGRATIONS.map((migration) => migration.name)).toContain("0004-organisations");
    const tables = await db.introspection.getTables();
    const columns = (name: string): string[] | undefined =>
      tables
        .find((table) => table.name === name)
        ?.columns.map((column) => column.name)
        .sort();
    expect(columns("organisations")).toEqual(["data", "id", "queue_room_id", "updated_at"]);
    expect(columns("routing_state")).toEqual(["key", "updated_at", "value"]);
    expect(await listOrganisations(db)).toEqual([]);
  });

  it("stores the sample organisations and reads back exactly the same, Khmer names included", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    expect(await listOrganisations(db)).toEqual(byId(sample));
    expect(await getOrganisation(db, HOTLINE)).toEqual(sampleOrganisation(HOTLINE));
    expect((await getOrganisation(db, GARMENT))?.name.km).toBe("មជ្ឈមណ្ឌលគាំទ្រកម្មករកាត់ដេរ (គំរូ)");
    expect(await getOrganisation(db, "nope")).toBeUndefined();
    const row = await db
      .selectFrom("organisations")
      .select(["queue_room_id", "updated_at"])
      .where("id", "=", HOTLINE)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ queue_room_id: null, updated_at: T0 });
  });

  it("links, finds by and unlinks a queue room", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    expect(await setQueueRoom(db, GARMENT, ROOM, T0 + 1)).toBe(true);
    expect((await getOrganisation(db, GARMENT))?.queueRoomId).toBe(ROOM);
    expect((await getOrganisationByQueueRoom(db, ROOM))?.id).toBe(GARMENT);
    expect(await getOrganisationByQueueRoom(db, "!other:ngo-a.example.org")).toBeUndefined();
    expect(await setQueueRoom(db, GARMENT, null, T0 + 2)).toBe(true);
    expect((await getOrganisation(db, GARMENT))?.queueRoomId).toBeNull();
    expect(await setQueueRoom(db, "nope", ROOM)).toBe(false);
  });

  it("refuses a malformed room ID and a room already linked to another organisation", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    await expect(setQueueRoom(db, GARMENT, "#queue:ngo-a.example.org")).rejects.toThrow(
      'not a room ID: "#queue:ngo-a.example.org"',
    );
    await setQueueRoom(db, GARMENT, ROOM);
    await expect(setQueueRoom(db, HOTLINE, ROOM)).rejects.toThrow();
    expect((await getOrganisation(db, HOTLINE))?.queueRoomId).toBeNull();
  });

  it("keeps linked queue rooms when the seed is loaded again, and drops organisations it leaves out", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    await setQueueRoom(db, GARMENT, ROOM);
    const renamed = { ...sampleOrganisation(GARMENT), shortName: { km: "កម្មករ", en: "Workers" } };
    await replaceAllOrganisations(db, [renamed, sampleOrganisation(HOTLINE)], T0 + 5);
    expect(await listOrganisations(db)).toEqual([{ ...renamed, queueRoomId: ROOM }, sampleOrganisation(HOTLINE)]);
    await replaceAllOrganisations(db, [], T0 + 6);
    expect(await listOrganisations(db)).toEqual([]);
  });

  it("upserts: adds an organisation, updates its profile in place, keeps its room unless given another", async () => {
    const { db } = await databases.open();
    const garment = sampleOrganisation(GARMENT);
    await upsertOrganisation(db, garment, T0);
    await setQueueRoom(db, GARMENT, ROOM);
    const changed: Organisation = {
      ...garment,
      capacity: { maxActiveCases: 40, maxActivePerResponder: 8 },
      claimSlaMs: 60_000,
      routingMode: "direct",
      childProtection: true,
    };
    await upsertOrganisation(db, changed, T0 + 5);
    expect(await getOrganisation(db, GARMENT)).toEqual({ ...changed, queueRoomId: ROOM });
    await upsertOrganisation(db, { ...changed, queueRoomId: "!new:ngo-a.example.org" }, T0 + 6);
    expect((await getOrganisation(db, GARMENT))?.queueRoomId).toBe("!new:ngo-a.example.org");
    const row = await db.selectFrom("organisations").select("updated_at").executeTakeFirstOrThrow();
    expect(row.updated_at).toBe(T0 + 6);
  });

  it("joins the caller's transaction: a rollback keeps the old organisations", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    const rollback = db.transaction().execute(async (trx) => {
      await replaceAllOrganisations(trx, [sampleOrganisation(HOTLINE)], T0 + 1);
      expect(await listOrganisations(trx)).toHaveLength(1);
      throw new Error("the use case failed");
    });
    await expect(rollback).rejects.toThrow("the use case failed");
    expect(await listOrganisations(db)).toEqual(byId(sample));
  });

  it("refuses a list with a repeated id or a shared queue room, and leaves the stored one alone", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    const hotline = sampleOrganisation(HOTLINE);
    await expect(replaceAllOrganisations(db, [hotline, hotline])).rejects.toThrow(`id "${HOTLINE}" is used twice`);
    const shared = [
      { ...sampleOrganisation(GARMENT), queueRoomId: ROOM },
      { ...hotline, queueRoomId: ROOM },
    ];
    await expect(replaceAllOrganisations(db, shared)).rejects.toThrow(
      `queue room ${ROOM} is given to two organisations`,
    );
    expect(await listOrganisations(db)).toEqual(byId(sample));
  });

  it("deletes an organisation and says whether there was one", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    expect(await deleteOrganisation(db, GARMENT)).toBe(true);
    expect(await deleteOrganisation(db, GARMENT)).toBe(false);
    expect(await getOrganisation(db, GARMENT)).toBeUndefined();
  });

  it("refuses to read a stored row that is no longer a valid organisation, naming it", async () => {
    const { db } = await databases.open();
    await replaceAllOrganisations(db, sample, T0);
    await db.updateTable("organisations").set({ data: '{"name": 1}' }).where("id", "=", HOTLINE).execute();
    await expect(listOrganisations(db)).rejects.toThrow(`organisations row "${HOTLINE}" is invalid: name: `);
    await db.updateTable("organisations").set({ data: "not json" }).where("id", "=", HOTLINE).execute();
    await expect(getOrganisation(db, HOTLINE)).rejects.toThrow(
      `organisations row "${HOTLINE}": data is not valid JSON`,
    );
  });

  it("keeps the round-robin cursor: 0 before the first case, then what was stored", async () => {
    const { db } = await databases.open();
    expect(await getRoundRobinCursor(db)).toBe(0);
    await setRoundRobinCursor(db, 3, T0);
    expect(await getRoundRobinCursor(db)).toBe(3);
    await setRoundRobinCursor(db, 0, T0 + 1);
    expect(await getRoundRobinCursor(db)).toBe(0);
    const rows = await db.selectFrom("routing_state").selectAll().execute();
    expect(rows).toEqual([{ key: "round-robin-cursor", value: "0", updated_at: T0 + 1 }]);
    await expect(setRoundRobinCursor(db, 1.5)).rejects.toThrow("round-robin cursor must be a whole number, not 1.5");
    await db.updateTable("routing_state").set({ value: "x" }).execute();
    await expect(getRoundRobinCursor(db)).rejects.toThrow(
      'routing_state round-robin-cursor is not a whole number: "x"',
    );
  });
});
