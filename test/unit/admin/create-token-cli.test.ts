// `haven create-token`: prints a working token once on stdout; the database holds only its hash.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../../admin/app.ts";
import { tokenHash } from "../../../admin/api-token.ts";
import { createToken } from "../../../bin/create-token.ts";
import { exitCodes } from "../../../bin/command.ts";
import { openDatabase } from "../../../core/db/open.ts";
import { baseEnv, validDocument, writeConfigDir, type ConfigDir } from "../config/fixtures.ts";

let configDir: ConfigDir | undefined;
afterEach(() => {
  configDir?.remove();
  configDir = undefined;
});

function output() {
  let text = "";
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

async function run(args: string[]) {
  const document = validDocument();
  configDir ??= writeConfigDir({ ...document, dataDir: "data" });
  const stdout = output();
  const stderr = output();
  const code = await createToken.run({
    args,
    env: { ...baseEnv, HAVEN_CONFIG: configDir.configPath },
    cwd: configDir.dir,
    stdout,
    stderr,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("haven create-token", () => {
  it("prints a token that authenticates with its role, and stores only its hash", async () => {
    const result = await run(["--role", "coordinator", "--subject", "ops", "--expires", "1d"]);
    expect(result.code).toBe(exitCodes.ok);
    const token = result.stdout.trim();
    expect(token).toMatch(/^haven_[A-Za-z0-9_-]{43}$/);
    const database = await openDatabase({ dataDir: join(configDir!.dir, "data") });
    try {
      const rows = await database.db.selectFrom("api_tokens").selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ token_hash: tokenHash(token), role: "coordinator", subject: "ops" });
      expect(JSON.stringify(rows)).not.toContain(token);
      const app = createApp({
        db: database.db,
        now: Date.now,
        coalitionServers: [],
        openidUserinfo: () => Promise.resolve({ ok: false, reason: "test" }),
      });
      const response = await app.request("/v1/cases", { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
    } finally {
      await database.close();
    }
  });

  it("refuses a missing role, an org_admin without an organisation, and a bad lifetime", async () => {
    await expect(run([])).rejects.toThrow(/--role is required/);
    await expect(run(["--role", "org_admin"])).rejects.toThrow(/--org is required/);
    await expect(run(["--role", "monitor", "--expires", "5y"])).rejects.toThrow(/--expires/);
  });
});
