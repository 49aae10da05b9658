/**
 * The few client-server API calls `haven demo` makes as the people it sets up (a responder creating her
 * organisation's queue room, a coordinator creating the monitors' room), over plain HTTP: these logins are brief
 * and never read or send messages, so they need no crypto device.
 */
export interface Login {
  readonly clientUrl: string;
  readonly userId: string;
  readonly accessToken: string;
}

async function call(
  login: Pick<Login, "clientUrl"> & { accessToken?: string },
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${login.clientUrl}/_matrix/client/v3${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(login.accessToken !== undefined && { authorization: `Bearer ${login.accessToken}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path.split("?")[0]}: ${response.status} ${text}`);
  return JSON.parse(text === "" ? "{}" : text) as Record<string, unknown>;
}

export async function logIn(clientUrl: string, userId: string, password: string): Promise<Login> {
  const body = await call({ clientUrl }, "POST", "/login", {
    type: "m.login.password",
    identifier: { type: "m.id.user", user: userId },
    password,
    initial_device_display_name: "haven demo set-up",
  });
  return { clientUrl, userId, accessToken: String(body["access_token"]) };
}

/** Ends the login and deletes its device, so that it never shows as an unverified session. */
export async function logOut(login: Login): Promise<void> {
  await call(login, "POST", "/logout", {});
}

/** A private, encrypted room (history visible to members from when they joined) with `invite` invited. */
export async function createEncryptedRoom(login: Login, name: string, invite: readonly string[]): Promise<string> {
  const body = await call(login, "POST", "/createRoom", {
    preset: "private_chat",
    name,
    invite,
    initial_state: [
      { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
      { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } },
      { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
    ],
  });
  return String(body["room_id"]);
}

export async function joinRoom(login: Login, roomId: string): Promise<void> {
  await call(login, "POST", `/join/${encodeURIComponent(roomId)}`, {});
}

export async function joinedMembers(login: Login, roomId: string): Promise<string[]> {
  const body = await call(login, "GET", `/rooms/${encodeURIComponent(roomId)}/joined_members`);
  return Object.keys(body["joined"] ?? {});
}

/** Resolves once `userId` has joined `roomId` (seen by `login`, a member); rejects after `timeoutMs`. */
export async function waitForJoin(login: Login, roomId: string, userId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await joinedMembers(login, roomId)).includes(userId)) {
    if (Date.now() > deadline) throw new Error(`${userId} did not join ${roomId} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
