import { describe, expect, it } from "vitest";
import { databaseUrlProblem } from "../../../config/database-url.ts";
import { parseDuration } from "../../../config/duration.ts";
import { isMatrixUserId, isServerName, serverNameOf } from "../../../config/matrix-names.ts";
import { storageKeyProblem } from "../../../config/storage-key.ts";

describe("parseDuration", () => {
  it.for([
    ["90s", 90_000],
    ["15m", 900_000],
    ["12h", 43_200_000],
    ["30d", 2_592_000_000],
  ] as const)("%s is %d ms", ([text, ms]) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.for(["", "30", "30 d", "1.5h", "-1d", "1w", "30D", "d"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("Matrix names", () => {
  it.for(["hub.example.org", "hub.example.org:8448", "localhost", "127.0.0.1:8008", "[::1]:8448"])(
    "%s is a server name",
    (name) => expect(isServerName(name)).toBe(true),
  );

  it.for(["", "hub example.org", "hub.example.org:", "hub.example.org:70000", "https://hub.example.org", "a/b"])(
    "%j is not a server name",
    (name) => expect(isServerName(name)).toBe(false),
  );

  it.for(["@intake:hub.example.org", "@intake:hub.example.org:8448", "@a.b_c=d-e/f+g:localhost"])(
    "%s is a user ID",
    (id) => expect(isMatrixUserId(id)).toBe(true),
  );

  it.for([
    "intake:hub.example.org",
    "@intake",
    "@Intake:hub.example.org",
    "@:hub.example.org",
    `@${"a".repeat(250)}:x.org`,
  ])("%j is not a user ID", (id) => expect(isMatrixUserId(id)).toBe(false));

  it("takes the server name from a user ID", () => {
    expect(serverNameOf("@intake:hub.example.org:8448")).toBe("hub.example.org:8448");
  });
});

describe("secret value checks", () => {
  it("accepts a 32-byte base64 storage key, padded or not, and reports sizes only", () => {
    const key = Buffer.alloc(32, 1).toString("base64");
    expect(storageKeyProblem(key)).toBeUndefined();
    expect(storageKeyProblem(key.replace(/=+$/, ""))).toBeUndefined();
    expect(storageKeyProblem(Buffer.alloc(16).toString("base64"))).toBe(
      "expected base64 of exactly 32 bytes, found 16 bytes",
    );
    expect(storageKeyProblem("not base64!")).toBe(
      "expected base64 of exactly 32 bytes, found a value that is not base64",
    );
  });

  it("accepts postgres and sqlite database URLs and names only a plain scheme otherwise", () => {
    expect(databaseUrlProblem("postgres://haven:pw@db/haven")).toBeUndefined();
    expect(databaseUrlProblem("postgresql:///haven?host=/run/postgresql")).toBeUndefined();
    expect(databaseUrlProblem("sqlite:/var/lib/haven/haven.sqlite")).toBeUndefined();
    expect(databaseUrlProblem("sqlite:")).toMatch(/found sqlite: without a plain file path$/);
    expect(databaseUrlProblem("mysql://haven:pw@db/haven")).toMatch(/found mysql:\/\/$/);
    expect(databaseUrlProblem("hunter2:pw")).toMatch(/found a value without a URL scheme$/);
  });
});
