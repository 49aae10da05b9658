import { logOut, registerWithSharedSecret, RegistrationError } from "../local-synapse/register.ts";
import { DevError } from "./hub.ts";
import { newSecret } from "./secrets.ts";

export interface DevHubAccess {
  readonly clientUrl: string;
  readonly serverName: string;
  readonly sharedSecret: string;
}

/**
 * Registers the account `localpart` with `password` unless it exists (then it is assumed to have that password:
 * both come from the same secret file). The login a registration creates is ended at once: the account logs in
 * elsewhere (a bot's own device, a person's Matrix client), and a stray device would show as unverified.
 */
export async function ensureAccount(
  hub: DevHubAccess,
  localpart: string,
  password: string,
): Promise<"created" | "existed"> {
  try {
    const account = await registerWithSharedSecret(hub.clientUrl, hub.sharedSecret, { username: localpart, password });
    await logOut(hub.clientUrl, account.accessToken);
    return "created";
  } catch (error) {
    if (error instanceof RegistrationError && error.errcode === "M_USER_IN_USE") return "existed";
    throw error;
  }
}

/** Registers a new person's account with a generated password, which is returned (and kept nowhere). */
export async function addPerson(hub: DevHubAccess, localpart: string): Promise<{ userId: string; password: string }> {
  const password = newSecret();
  const userId = `@${localpart}:${hub.serverName}`;
  if ((await ensureAccount(hub, localpart, password)) === "existed") {
    throw new DevError(`${userId} already exists on the dev hub (its password was printed when it was added)`);
  }
  return { userId, password };
}
