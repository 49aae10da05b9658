import { createHmac } from "node:crypto";

export interface SharedSecretRegistration {
  readonly username: string;
  readonly password: string;
  readonly admin?: boolean;
}

export interface RegisteredAccount {
  readonly userId: string;
  /** The login Synapse creates with every registration. */
  readonly accessToken: string;
  readonly deviceId: string;
}

/** Synapse refused a registration; `errcode` is the Matrix error code when it gave one (e.g. M_USER_IN_USE). */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
  readonly errcode: string | undefined;

  constructor(message: string, errcode: string | undefined) {
    super(message);
    this.errcode = errcode;
  }
}

/**
 * Registers an account through Synapse's shared-secret admin API: `GET /_synapse/admin/v1/register` for a nonce,
 * then POST it with mac = HMAC-SHA1(secret, nonce\0user\0password\0admin|notadmin), hex.
 */
export async function registerWithSharedSecret(
  clientUrl: string,
  sharedSecret: string,
  account: SharedSecretRegistration,
): Promise<RegisteredAccount> {
  const url = `${clientUrl}/_synapse/admin/v1/register`;
  const nonceResponse = await fetch(url);
  if (!nonceResponse.ok) {
    throw new RegistrationError(`register ${account.username}: no nonce (${nonceResponse.status})`, undefined);
  }
  const { nonce } = (await nonceResponse.json()) as { nonce: string };
  const admin = account.admin ?? false;
  const mac = createHmac("sha1", sharedSecret)
    .update(`${nonce}\0${account.username}\0${account.password}\0${admin ? "admin" : "notadmin"}`)
    .digest("hex");
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nonce, username: account.username, password: account.password, admin, mac }),
  });
  if (!response.ok) {
    const text = await response.text();
    let errcode: string | undefined;
    try {
      errcode = (JSON.parse(text) as { errcode?: string }).errcode;
    } catch {
      errcode = undefined;
    }
    throw new RegistrationError(`register ${account.username}: ${response.status} ${text}`, errcode);
  }
  const body = (await response.json()) as { user_id: string; access_token: string; device_id: string };
  return { userId: body.user_id, accessToken: body.access_token, deviceId: body.device_id };
}

/** Ends a login (deleting its device), e.g. the one a registration creates for an account that logs in elsewhere. */
export async function logOut(clientUrl: string, accessToken: string): Promise<void> {
  const response = await fetch(`${clientUrl}/_matrix/client/v3/logout`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: "{}",
  });
  if (!response.ok) throw new Error(`logout: ${response.status} ${await response.text()}`);
}
