import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../config/load.ts";
import { devHavenConfig } from "../../../bin/dev/haven-config.ts";
import { devLayout, type DevLayout } from "../../../bin/dev/layout.ts";
import { readyBlock, addedUserBlock } from "../../../bin/dev/messages.ts";
import { loadOrCreateSecret } from "../../../bin/dev/secrets.ts";

const settings = { serverName: "localhost:18448", clientPort: 18008, federationPort: 18448 } as const;

describe("the Haven config haven dev generates", () => {
  let dataDir: string;
  let layout: DevLayout;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "haven-dev-config-"));
    layout = devLayout(dataDir);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("is a valid config: the dev hub, both bots with their password files, Haven's state under dev/haven", async () => {
    const intakePassword = await loadOrCreateSecret(layout.botPasswordFile("intake"));
    const routerPassword = await loadOrCreateSecret(layout.botPasswordFile("router"));
    const text = devHavenConfig(layout, settings);
    await mkdir(layout.root, { recursive: true });
    await writeFile(layout.havenConfigFile, text);

    const config = loadConfig({ path: layout.havenConfigFile, env: {} });
    expect(config.dataDir).toBe(layout.havenDataDir);
    expect(config.hub).toEqual({ serverName: "localhost:18448", clientUrl: "http://127.0.0.1:18008" });
    expect(config.bots.intake.userId).toBe("@intake:localhost:18448");
    expect(config.bots.router.userId).toBe("@router:localhost:18448");
    expect(config.bots.intake.password?.reveal()).toBe(intakePassword);
    expect(config.bots.router.password?.reveal()).toBe(routerPassword);
    expect(config.federation.allowedServers).toEqual([]);
    expect(config.retention.defaultMaxLifetime).toBe(30 * 24 * 3600 * 1000);
    expect(config.directory.seedFile).toMatch(/config\/directory\.sample\.yaml$/);
    expect(existsSync(config.directory.seedFile ?? "")).toBe(true);
  });

  it("holds no secret itself, only references to the files in secrets/", async () => {
    const password = await loadOrCreateSecret(layout.botPasswordFile("intake"));
    const text = devHavenConfig(layout, settings);
    expect(text).not.toContain(password);
    expect(text).toContain("file: secrets/intake-password");
    expect(text).toContain("file: secrets/router-password");
  });
});

describe("what haven dev prints", () => {
  const layout = devLayout("/data");

  it("once ready: the hub's URL and server name, the intake bot, and how to add a user and log in", () => {
    const block = readyBlock({ settings, intakeUserId: "@intake:localhost:18448", layout });
    expect(block).toContain("hub client URL    http://127.0.0.1:18008");
    expect(block).toContain("hub server name   localhost:18448");
    expect(block).toContain("intake bot        @intake:localhost:18448");
    expect(block).toContain("npm run dev -- add-user alice");
    expect(block).toContain("homeserver URL  http://127.0.0.1:18008");
    expect(block).toContain("State:     /data/dev");
  });

  it("for add-user: where to log in, the user name and the password", () => {
    const block = addedUserBlock({ settings, userId: "@alice:localhost:18448", localpart: "alice", password: "pw" });
    expect(block).toContain("Added @alice:localhost:18448");
    expect(block).toContain("homeserver URL  http://127.0.0.1:18008");
    expect(block).toContain("password        pw");
  });
});
