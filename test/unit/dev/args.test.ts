import { describe, expect, it } from "vitest";
import { UsageError } from "../../../bin/command.ts";
import { parseDevArgs } from "../../../bin/dev/args.ts";

describe("haven dev arguments", () => {
  it("runs with no arguments, ports left to the hub's settings", () => {
    expect(parseDevArgs([])).toEqual({ action: "run", fresh: false });
  });

  it("reads --fresh and both ports", () => {
    expect(parseDevArgs(["--fresh", "--client-port", "18008", "--federation-port=18448"])).toEqual({
      action: "run",
      fresh: true,
      clientPort: 18008,
      federationPort: 18448,
    });
  });

  it("reads add-user with its name", () => {
    expect(parseDevArgs(["add-user", "alice"])).toEqual({ action: "add-user", localpart: "alice" });
  });

  it.for([
    [["--client-port", "0"], 'dev: --client-port: expected a port from 1 to 65535, found "0"'],
    [["--federation-port", "http"], 'dev: --federation-port: expected a port from 1 to 65535, found "http"'],
    [["--client-port", "9000", "--federation-port", "9000"], "dev: --client-port and --federation-port must differ"],
    [["--frsh"], "dev: Unknown option '--frsh'"],
    [["now"], 'dev: unexpected argument "now"'],
    [["add-user"], "dev add-user: expected a user name"],
    [["add-user", "alice", "bob"], 'dev add-user: unexpected argument "bob"'],
    [
      ["add-user", "Alice"],
      'dev add-user: a user name has lower-case letters, digits and . _ = - / + only, found "Alice"',
    ],
    [["add-user", "@alice:localhost"], "dev add-user: a user name has lower-case letters"],
  ] as const)("refuses %j with a usage error", ([args, message]) => {
    expect(() => parseDevArgs(args)).toThrow(UsageError);
    expect(() => parseDevArgs(args)).toThrow(message);
  });
});
