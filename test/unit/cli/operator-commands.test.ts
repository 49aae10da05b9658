// The operator's subcommands (migrate, org, directory, cases), run in-process on a fresh SQLite database.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { commands } from "../../../bin/commands.ts";
import { runCli } from "../../../bin/cli.ts";
import { exitCodes } from "../../../bin/command.ts";
import { openDatabase } from "../../../core/db/open.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { projectRoot } from "../../../config/project-root.ts";
import { validDocument } from "../config/fixtures.ts";

let dir: string;
let env: Record<string, string>;

async function haven(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(commands, argv, {
    env,
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const sample = parse(readFileSync(join(projectRoot, "config/organisations.sample.yaml"), "utf8")) as {
  organisations: Array<Record<string, unknown>>;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "haven-cli-"));
  const document = { ...validDocument(), dataDir: join(dir, "data") };
  writeFileSync(join(dir, "router.token"), "router-token\n");
  writeFileSync(join(dir, "haven.yaml"), stringify(document));
  env = { HAVEN_CONFIG: join(dir, "haven.yaml"), TEST_INTAKE_PASSWORD: "intake-password" };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("haven migrate", () => {
  it("applies every migration once, then reports the database current; --json says the same as data", async () => {
    const first = await haven("migrate", "--json");
    expect(first.code).toBe(exitCodes.ok);
    const applied = (JSON.parse(first.stdout) as { dialect: string; applied: string[] }).applied;
    expect(applied.length).toBeGreaterThan(0);
    expect(JSON.parse((await haven("migrate", "--json")).stdout)).toEqual({ dialect: "sqlite", applied: [] });
    expect((await haven("migrate")).stdout).toBe("database (sqlite) is current\n");
  });

  it("refuses arguments with the usage exit code, and explains itself with --help", async () => {
    expect(await haven("migrate", "now")).toMatchObject({ code: exitCodes.usage });
    expect(await haven("migrate", "--fast")).toMatchObject({ code: exitCodes.usage });
    expect(await haven("migrate", "--help")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("usage: haven migrate") as unknown,
    });
  });

  it("exits 2 on an invalid config", async () => {
    env = { ...env, TEST_INTAKE_PASSWORD: "" };
    expect((await haven("migrate")).code).toBe(exitCodes.config);
  });
});

describe("haven org", () => {
  it("adds an organisation from a file, lists it, and replaces it by id", async () => {
    const file = join(dir, "org.yaml");
    writeFileSync(file, stringify(sample.organisations[0]));
    expect(await haven("org", "add", file)).toMatchObject({
      code: 0,
      stdout: "organisation sample-garment-workers saved\n",
    });
    const listed = JSON.parse((await haven("org", "list", "--json")).stdout) as Array<Record<string, unknown>>;
    expect(listed).toEqual([
      expect.objectContaining({ id: "sample-garment-workers", homeserver: "ngo-a.example.org", queueRoomId: null }),
    ]);
    writeFileSync(
      file,
      stringify({ ...sample.organisations[0], homeserver: "ngo-z.example.org", responders: ["@a:ngo-z.example.org"] }),
    );
    await haven("org", "add", file);
    const text = (await haven("org", "list")).stdout;
    expect(text).toMatch(
      /^id +homeserver +responders +queue room\nsample-garment-workers +ngo-z\.example\.org +1 +\(not linked\)\n$/,
    );
  });

  it("refuses an invalid organisation with exit 2, naming the file and the path, and stores nothing", async () => {
    const file = join(dir, "org.yaml");
    writeFileSync(
      file,
      stringify({ ...sample.organisations[0], capacity: { maxActiveCases: -1, maxActivePerResponder: 1 } }),
    );
    const result = await haven("org", "add", file);
    expect(result.code).toBe(exitCodes.config);
    expect(result.stderr).toContain(`${file}: capacity.maxActiveCases`);
    expect((await haven("org", "list")).stdout).toBe("(none)\n");
  });

  it("needs list or add", async () => {
    expect((await haven("org")).code).toBe(exitCodes.usage);
    expect((await haven("org", "remove", "x")).code).toBe(exitCodes.usage);
    expect((await haven("org", "add")).code).toBe(exitCodes.usage);
  });
});

describe("haven directory", () => {
  it("imports the sample directory and exports it in the same format, which imports again unchanged", async () => {
    const imported = await haven("directory", "import", join(projectRoot, "config/directory.sample.yaml"), "--json");
    expect(imported.code).toBe(0);
    const count = (JSON.parse(imported.stdout) as { imported: number }).imported;
    expect(count).toBeGreaterThan(0);
    const exported = await haven("directory", "export");
    const file = join(dir, "exported.yaml");
    writeFileSync(file, exported.stdout);
    expect(await haven("directory", "import", file)).toMatchObject({ code: 0, stdout: `imported ${count} services\n` });
    expect((await haven("directory", "export")).stdout).toBe(exported.stdout);
    const json = JSON.parse((await haven("directory", "export", "--json")).stdout) as { services: unknown[] };
    expect(json.services).toHaveLength(count);
  });

  it("refuses an invalid file with exit 2 and keeps the directory as it was", async () => {
    await haven("directory", "import", join(projectRoot, "config/directory.sample.yaml"));
    const before = (await haven("directory", "export")).stdout;
    const file = join(dir, "bad.yaml");
    writeFileSync(file, stringify({ services: [{ id: "x" }] }));
    expect((await haven("directory", "import", file)).code).toBe(exitCodes.config);
    expect((await haven("directory", "export")).stdout).toBe(before);
  });
});

describe("haven cases list", () => {
  const survivor = "@CANARY-survivor:hub.example.org";

  beforeEach(async () => {
    const database = await openDatabase({ dataDir: join(dir, "data") });
    const base = {
      survivor_mxid: survivor,
      survivor_room_id: "!CANARY-room:hub.example.org",
      locale: "km",
      category: "domestic_violence",
      province: "phnom_penh",
      urgent: false,
      under18: false,
      consent_summary: true,
      service_language: "km",
      org_id: null,
      closed_at: null,
    };
    await insertCase(database.db, { ...base, id: "AAAA-BBBB", state: "waiting", created_at: 2_000, updated_at: 2_000 });
    await insertCase(database.db, {
      ...base,
      id: "CCCC-DDDD",
      state: "claimed",
      org_id: "ngo-a",
      urgent: true,
      created_at: 1_000,
      updated_at: 3_000,
    });
    await insertCase(database.db, {
      ...base,
      id: "EEEE-FFFF",
      state: "closed",
      created_at: 500,
      updated_at: 4_000,
      closed_at: 4_000,
    });
    await database.close();
  });

  it("lists open cases oldest first, metadata only: never who she is or her room", async () => {
    const result = await haven("cases", "list", "--json");
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(listed.map((c) => [c["code"], c["state"], c["orgId"], c["urgent"]])).toEqual([
      ["CCCC-DDDD", "claimed", "ngo-a", true],
      ["AAAA-BBBB", "waiting", null, false],
    ]);
    const text = (await haven("cases", "list")).stdout;
    expect(text.split("\n")[1]).toMatch(
      /^CCCC-DDDD +claimed +ngo-a +domestic_violence +yes +1970-01-01T00:00:01\.000Z$/,
    );
    expect(result.stdout + text).not.toContain("CANARY");
  });

  it("filters by --state, and refuses a state that does not exist", async () => {
    const closed = JSON.parse((await haven("cases", "list", "--state", "closed", "--json")).stdout) as unknown[];
    expect(closed).toEqual([expect.objectContaining({ code: "EEEE-FFFF" })]);
    expect((await haven("cases", "list", "--state", "lost")).code).toBe(exitCodes.usage);
    expect((await haven("cases")).code).toBe(exitCodes.usage);
  });
});
