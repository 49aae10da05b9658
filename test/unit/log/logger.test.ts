import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Secret } from "../../../config/secret.ts";
import { createLogger } from "../../../core/log/logger.ts";
import { redactionPaths } from "../../../core/log/redaction.ts";

const body = "CANARY-message-body: I need help tonight-8d2e";
const accessToken = "syt_CANARY_access_token_51fb";

/** A logger writing into memory; `lines()` parses what it wrote. */
function memoryLogger(level: Parameters<typeof createLogger>[0] = "trace") {
  let written = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString("utf8");
      done();
    },
  });
  const logger = createLogger(level, destination);
  return {
    logger,
    text: () => written,
    lines: () =>
      written
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("createLogger", () => {
  it("writes JSON lines at the configured level and above", () => {
    const { logger, lines } = memoryLogger("info");
    logger.debug("hidden");
    logger.info({ caseCode: "K7Q2-M4" }, "case opened");
    logger.error("failed");
    expect(lines().map((line) => [line["level"], line["msg"]])).toEqual([
      [30, "case opened"],
      [50, "failed"],
    ]);
    expect(lines()[0]?.["caseCode"]).toBe("K7Q2-M4");
  });

  it("never writes a message body or an access token, however deep", () => {
    const { logger, text, lines } = memoryLogger();
    const event = { type: "m.room.message", sender: "@survivor:hub.example.org", content: { msgtype: "m.text", body } };
    logger.info({ event }, "event received");
    logger.info({ room: { timeline: [{ content: { body, formatted_body: `<b>${body}</b>` } }] } }, "timeline");
    logger.info({ body, formatted_body: body }, "top-level body");
    logger.info({ request: { headers: { authorization: `Bearer ${accessToken}` }, accessToken } }, "request");
    logger.info({ session: { access_token: accessToken, password: "hunter2-CANARY", token: accessToken } }, "login");
    logger.warn({ a: { b: { c: { d: { e: { accessToken, body } } } } } }, "five levels down");
    logger.info({ account: { accessToken: new Secret(accessToken) } }, "secret object");
    logger.child({ bot: "intake" }).info({ event }, "from a child logger");

    expect(text()).not.toContain("CANARY");
    expect(text()).not.toContain("I need help");
    expect(lines()).toHaveLength(8);
    expect(lines()[0]?.["event"]).toEqual({
      type: "m.room.message",
      sender: "@survivor:hub.example.org",
      content: "[redacted]",
    });
  });

  it("does not change the objects it logs", () => {
    const { logger } = memoryLogger();
    const event = { content: { body } };
    logger.info({ event }, "event");
    expect(event.content.body).toBe(body);
  });
});

describe("redactionPaths", () => {
  it("covers each key from the top level down to the deepest level", () => {
    expect(redactionPaths(["token"], 2)).toEqual(["token", "*.token", "*.*.token"]);
  });
});
