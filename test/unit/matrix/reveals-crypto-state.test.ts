import { describe, expect, it } from "vitest";
import { revealsCryptoState } from "../../../core/matrix/reveals-crypto-state.ts";

const hub = "https://hub.example";
const room = "!abc%3Ahub.example";

describe("which requests wait for the crypto store to be on disk", () => {
  it.each([
    ["GET", "/_matrix/client/v3/sync?since=s1&timeout=30000"],
    ["GET", "/_matrix/client/v3/sync?filter=1"],
    ["POST", "/_matrix/client/v3/keys/upload"],
    ["POST", "/_matrix/client/v3/keys/claim"],
    ["POST", "/_matrix/client/v3/keys/device_signing/upload"],
    ["POST", "/_matrix/client/v3/keys/signatures/upload"],
    ["PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/txn1"],
    ["PUT", `/_matrix/client/v3/rooms/${room}/send/m.room.encrypted/txn2`],
    ["PUT", `/_matrix/client/v3/rooms/${room}/send/m.room%2Eencrypted/txn3`],
    ["PUT", "/_matrix/client/v3/room_keys/keys?version=1"],
    ["POST", "/_matrix/client/v3/room_keys/version"],
    ["PUT", "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device"],
    ["PUT", "/_matrix/client/v3/user/%40bot%3Ahub/account_data/m.secret_storage.default_key"],
    ["POST", "/_matrix/client/v3/some/endpoint/the/sdk/adds/later"],
    ["POST", "/an/unknown/api"],
  ])("%s %s reveals crypto state", (method, path) => {
    expect(revealsCryptoState(method, `${hub}${path}`)).toBe(true);
  });

  it.each([
    ["GET", `/_matrix/client/v3/rooms/${room}/messages?dir=b`],
    ["GET", `/_matrix/client/v3/rooms/${room}/members`],
    ["GET", "/_matrix/client/v3/room_keys/version"],
    ["POST", "/_matrix/client/v3/keys/query"],
    ["PUT", `/_matrix/client/v3/rooms/${room}/send/m.room.message/txn4`],
    ["PUT", `/_matrix/client/v3/rooms/${room}/state/m.room.encryption/`],
    ["PUT", `/_matrix/client/v3/rooms/${room}/redact/%24ev/txn5`],
    ["POST", `/_matrix/client/v3/rooms/${room}/invite`],
    ["POST", `/_matrix/client/v3/rooms/${room}/leave`],
    ["POST", `/_matrix/client/v3/rooms/${room}/receipt/m.read/%24ev`],
    ["PUT", `/_matrix/client/v3/rooms/${room}/typing/%40bot%3Ahub`],
    ["POST", `/_matrix/client/v3/join/${room}`],
    ["POST", "/_matrix/client/v3/createRoom"],
    ["POST", "/_matrix/media/v3/upload"],
    ["POST", "/_synapse/admin/v1/purge_history/%21abc%3Ahub"],
  ])("%s %s goes out without waiting", (method, path) => {
    expect(revealsCryptoState(method, `${hub}${path}`)).toBe(false);
  });
});
