// Sign in with Matrix against real Synapse servers: an OpenID token from a coalition homeserver, verified through
// that server's federation API (TLS, the harness's certificate as the trusted CA), gives a session token; one from
// a server outside the coalition, an expired one, a replayed one and one passed off as another server's are refused.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { federationOpenidUserinfo } from "../../admin/federation-openid.ts";
import { PROBLEM_TYPE_PREFIX } from "../../admin/problem.ts";
import { tlsFiles } from "../../bin/local-synapse/tls.ts";
import { putAdminUser } from "../../core/db/repositories/admin-users.ts";
import { startAdminFixture, type AdminFixture } from "../harness/admin-api.ts";
import { startFederation, type Federation, type Homeserver, type RegisteredUser } from "../harness/synapse.ts";

interface OpenidToken {
  access_token: string;
  matrix_server_name: string;
  expires_in: number;
}

async function requestOpenidToken(server: Homeserver, user: RegisteredUser): Promise<OpenidToken> {
  const response = await fetch(
    `${server.clientUrl}/_matrix/client/v3/user/${encodeURIComponent(user.userId)}/openid/request_token`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${user.accessToken}`, "content-type": "application/json" },
      body: "{}",
    },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as OpenidToken;
}

let federation: Federation;
let fixture: AdminFixture;
let hub: Homeserver;
let partner: Homeserver;
let outsider: Homeserver;

beforeAll(async () => {
  federation = await startFederation({ names: ["hub", "partner-a", "outsider"] });
  hub = federation.server("hub");
  partner = federation.server("partner-a");
  outsider = federation.server("outsider");
  const ca = await readFile(tlsFiles(dirname(hub.dir)).cert, "utf8");
  fixture = await startAdminFixture({
    coalitionServers: [hub.serverName, partner.serverName],
    openidUserinfo: federationOpenidUserinfo({ ca }),
  });
});

afterAll(async () => {
  await fixture?.close();
  await federation?.stop();
});

async function signIn(token: { access_token: string; matrix_server_name: string }): Promise<Response> {
  return fixture.app.request("/v1/auth/matrix", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessToken: token.access_token, matrixServerName: token.matrix_server_name }),
  });
}

async function problemType(response: Response): Promise<string> {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return ((await response.json()) as { type: string }).type;
}

async function grant(user: RegisteredUser, role: "coordinator" | "org_admin", orgId: string | null = null) {
  await putAdminUser(fixture.database.db, { userId: user.userId, role, orgId, at: Date.now() });
}

describe("Sign in with Matrix", () => {
  it("accepts a coalition server's token once: the session works, the same token again is refused", async () => {
    const alice = await hub.registerUser();
    await grant(alice, "coordinator");
    const openid = await requestOpenidToken(hub, alice);

    const response = await signIn(openid);
    expect(response.status).toBe(201);
    const session = (await response.json()) as { token: string; userId: string; role: string; expiresAt: number };
    expect(session).toMatchObject({ userId: alice.userId, role: "coordinator" });
    expect(session.expiresAt).toBeGreaterThan(Date.now());
    const cases = await fixture.app.request("/v1/cases", { headers: { authorization: `Bearer ${session.token}` } });
    expect(cases.status).toBe(200);

    const replay = await signIn(openid);
    expect(replay.status).toBe(401);
    expect(await problemType(replay)).toBe(`${PROBLEM_TYPE_PREFIX}openid-token-refused`);
  });

  it("accepts a partner organisation's server, with the role and organisation granted to her", async () => {
    const srey = await partner.registerUser();
    await grant(srey, "org_admin", "sample-garment-workers");
    const response = await signIn(await requestOpenidToken(partner, srey));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      userId: srey.userId,
      role: "org_admin",
      orgId: "sample-garment-workers",
    });
  });

  it("refuses a token from a server outside the coalition, without asking it", async () => {
    const mallory = await outsider.registerUser();
    await grant(mallory, "coordinator");
    const response = await signIn(await requestOpenidToken(outsider, mallory));
    expect(response.status).toBe(403);
    expect(await problemType(response)).toBe(`${PROBLEM_TYPE_PREFIX}server-not-in-coalition`);
  });

  it("refuses an outsider's token passed off as a coalition server's", async () => {
    const mallory = await outsider.registerUser();
    await grant(mallory, "coordinator");
    const openid = await requestOpenidToken(outsider, mallory);
    const response = await signIn({ ...openid, matrix_server_name: hub.serverName });
    expect(response.status).toBe(401);
    expect(await problemType(response)).toBe(`${PROBLEM_TYPE_PREFIX}openid-token-refused`);
  });

  it("refuses an expired token", async () => {
    const alice = await hub.registerUser();
    await grant(alice, "coordinator");
    const openid = await requestOpenidToken(hub, alice);
    // Synapse's OpenID tokens live an hour; age this one in the homeserver's own database.
    const synapseDb = new Database(`${hub.dir}/homeserver.db`);
    try {
      const changed = synapseDb
        .prepare("UPDATE open_id_tokens SET ts_valid_until_ms = ? WHERE token = ?")
        .run(Date.now() - 1_000, openid.access_token);
      expect(changed.changes).toBe(1);
    } finally {
      synapseDb.close();
    }
    const response = await signIn(openid);
    expect(response.status).toBe(401);
    expect(await problemType(response)).toBe(`${PROBLEM_TYPE_PREFIX}openid-token-refused`);
  });

  it("refuses a valid token of an account with no admin role", async () => {
    const bob = await hub.registerUser();
    const response = await signIn(await requestOpenidToken(hub, bob));
    expect(response.status).toBe(403);
    expect(await problemType(response)).toBe(`${PROBLEM_TYPE_PREFIX}not-an-admin`);
  });
});
