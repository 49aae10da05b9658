import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDirectoryFile } from "../../../config/load-directory.ts";
import { projectRoot } from "../../../config/project-root.ts";
import { MIGRATIONS } from "../../../core/db/migrations/index.ts";
import {
  countServices,
  deleteService,
  getService,
  listServices,
  replaceAllServices,
  upsertService,
} from "../../../core/db/repositories/services.ts";
import type { Service } from "../../../core/directory/index.ts";
import { T0 } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const sample = loadDirectoryFile(join(projectRoot, "config", "directory.sample.yaml"));
const byId = (services: readonly Service[]): Service[] => [...services].sort((a, b) => (a.id < b.id ? -1 : 1));

function sampleService(id: string): Service {
  const found = sample.find((service) => service.id === id);
  if (found === undefined) throw new Error(`no sample service ${id}`);
  return found;
}

describe.each(ALL_TARGETS)("directory services on $name", (target) => {
  const databases = freshDatabases(target);

  it("creates the directory table from an empty database", async () => {
    const { db } = await databases.open();
    expect(MIGRATIONS.map((migration) => migration.name)).toContain("0002-directory");
    const tables = await db.introspection.getTables();
    const table = tables.find((candidate) => candidate.name === "directory_services");
    expect(table?.columns.map((column) => column.name).sort()).toEqual([
      "data",
      "emergency",
      "id",
      "organisation_id",
      "phone",
      "updated_at",
    ]);
    expect(await countServices(db)).toBe(0);
    expect(await listServices(db)).toEqual([]);
  });

  it("stores the sample directory and reads back exactly the same services, Khmer text included", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    expect(await countServices(db)).toBe(sample.length);
    expect(await listServices(db)).toEqual(byId(sample));
    expect(await getService(db, "police-117")).toEqual(sampleService("police-117"));
    expect(await getService(db, "nope")).toBeUndefined();
  });

  it("keeps real booleans and numeric times in both dialects", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    const rows = await db
      .selectFrom("directory_services")
      .select(["id", "emergency", "updated_at"])
      .where("emergency", "=", true)
      .orderBy("id")
      .execute();
    expect(rows).toEqual(
      byId(sample.filter((service) => service.emergency)).map(({ id }) => ({ id, emergency: true, updated_at: T0 })),
    );
  });

  it("replaces the whole directory: services left out are gone", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    const kept = [sampleService("police-117"), sampleService("lotus-safe-house")];
    await replaceAllServices(db, kept, T0 + 1);
    expect(await listServices(db)).toEqual(byId(kept));
    await replaceAllServices(db, [], T0 + 2);
    expect(await countServices(db)).toBe(0);
  });

  it("joins the caller's transaction: a rollback keeps the old directory", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    const rollback = db.transaction().execute(async (trx) => {
      await replaceAllServices(trx, [sampleService("police-117")], T0 + 1);
      expect(await countServices(trx)).toBe(1);
      throw new Error("the use case failed");
    });
    await expect(rollback).rejects.toThrow("the use case failed");
    expect(await listServices(db)).toEqual(byId(sample));
  });

  it("refuses a directory with a duplicate id and leaves the stored one alone", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    const police = sampleService("police-117");
    await expect(replaceAllServices(db, [police, police], T0 + 1)).rejects.toThrow(
      'service id "police-117" is used twice',
    );
    expect(await countServices(db)).toBe(sample.length);
  });

  it("upserts: adds a new service, then updates it in place", async () => {
    const { db } = await databases.open();
    const shelter = sampleService("lotus-safe-house");
    await upsertService(db, shelter, T0);
    const changed: Service = {
      ...shelter,
      phone: "012 000 099",
      emergency: true,
      name: { km: "ផ្ទះសុវត្ថិភាពថ្មី", en: "New Safe House" },
      hours: { timeZone: "Asia/Phnom_Penh", always: true, weekly: {} },
    };
    await upsertService(db, changed, T0 + 5);
    expect(await countServices(db)).toBe(1);
    expect(await getService(db, shelter.id)).toEqual(changed);
    const row = await db.selectFrom("directory_services").select("updated_at").executeTakeFirstOrThrow();
    expect(row.updated_at).toBe(T0 + 5);
  });

  it("deletes a service and says whether there was one", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    expect(await deleteService(db, "police-117")).toBe(true);
    expect(await deleteService(db, "police-117")).toBe(false);
    expect(await getService(db, "police-117")).toBeUndefined();
    expect(await countServices(db)).toBe(sample.length - 1);
  });

  it("refuses to read a stored row that is no longer a valid service, naming it", async () => {
    const { db } = await databases.open();
    await replaceAllServices(db, sample, T0);
    await db.updateTable("directory_services").set({ data: '{"name": 1}' }).where("id", "=", "police-117").execute();
    await expect(listServices(db)).rejects.toThrow(/directory_services row "police-117" is invalid: name: /);
    await db.updateTable("directory_services").set({ data: "not json" }).where("id", "=", "police-117").execute();
    await expect(getService(db, "police-117")).rejects.toThrow(
      'directory_services row "police-117": data is not valid JSON',
    );
  });
});
