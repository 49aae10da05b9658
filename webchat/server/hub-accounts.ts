import { randomBytes } from "node:crypto";

/** The hub operations the web chat needs, through the Synapse admin API and the client API. */
export interface HubAccounts {
  /** Creates a fresh account with a random user ID and a one-time password; returns both. */
  createAnonymous(): Promise<{ userId: string; temporaryPassword: string }>;
  /** Whose access token this is, or undefined when the hub does not know it. */
  whoami(accessToken: string): Promise<string | undefined>;
  /** Deactivates the account and asks Synapse to erase what it holds of her (GDPR erase). */
  deactivate(userId: string): Promise<void>;
}

export function synapseHubAccounts(options: {
  clientUrl: string;
  serverName: string;
  adminToken: string;
}): HubAccounts {
  const { clientUrl, serverName, adminToken } = options;
  const admin = async (method: string, path: string, body: unknown): Promise<Response> => {
    const response = await fetch(`${clientUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`Synapse admin API ${method} ${path.split("/@")[0]}: HTTP ${response.status}`);
    return response;
  };
  return {
    async createAnonymous() {
      // Random, so the ID says nothing about her; the prefix lets an operator tell web chat accounts apart.
      const userId = `@webchat-${randomBytes(10).toString("hex")}:${serverName}`;
      const temporaryPassword = randomBytes(24).toString("base64url");
      await admin("PUT", `/_synapse/admin/v2/users/${encodeURIComponent(userId)}`, {
        password: temporaryPassword,
        admin: false,
      });
      return { userId, temporaryPassword };
    },
    async whoami(accessToken) {
      const response = await fetch(`${clientUrl}/_matrix/client/v3/account/whoami`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { user_id?: unknown };
      return typeof body.user_id === "string" ? body.user_id : undefined;
    },
    async deactivate(userId) {
      await admin("POST", `/_synapse/admin/v1/deactivate/${encodeURIComponent(userId)}`, { erase: true });
    },
  };
}
