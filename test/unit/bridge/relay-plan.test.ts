import { describe, expect, it } from "vitest";
import { planRelay, stripUserIds } from "../../../bridge/relay-plan.ts";

describe("bridge: the plan for one event", () => {
  it("relays text with its reply target, and drops the quote naming the replied-to sender", () => {
    expect(
      planRelay("m.room.message", {
        msgtype: "m.text",
        body: "> <@her:hub> hi\n\nhello",
        "m.relates_to": { "m.in_reply_to": { event_id: "$a" } },
      }),
    ).toEqual({ kind: "message", msgtype: "m.text", body: "hello", replyTo: "$a" });
    expect(planRelay("m.room.message", { msgtype: "m.notice", body: "n" })).toEqual({
      kind: "message",
      msgtype: "m.notice",
      body: "n",
    });
  });

  it("reads edits by their new content, reactions by key, redactions from either place", () => {
    expect(
      planRelay("m.room.message", {
        msgtype: "m.text",
        body: "* fixed",
        "m.new_content": { msgtype: "m.text", body: "fixed" },
        "m.relates_to": { rel_type: "m.replace", event_id: "$e" },
      }),
    ).toEqual({ kind: "edit", of: "$e", msgtype: "m.text", body: "fixed" });
    expect(
      planRelay("m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: "$r", key: "👍" } }),
    ).toEqual({ kind: "reaction", of: "$r", key: "👍" });
    expect(planRelay("m.room.redaction", {}, "$x")).toEqual({ kind: "redaction", of: "$x" });
    expect(planRelay("m.room.redaction", { redacts: "$y" })).toEqual({ kind: "redaction", of: "$y" });
  });

  it("passes media on as media, and calls anything else unsupported rather than dropping it", () => {
    const image = { msgtype: "m.image", body: "a.jpg", url: "mxc://x/y" };
    expect(planRelay("m.room.message", image)).toEqual({ kind: "media", content: image });
    expect(planRelay("m.room.message", { msgtype: "org.example.custom", body: "?" })).toEqual({ kind: "unsupported" });
    expect(planRelay("m.sticker", { body: "cat" })).toEqual({ kind: "unsupported" });
    expect(planRelay("m.poll.start", {})).toEqual({ kind: "unsupported" });
  });

  it("ignores what carries nothing: redacted messages, malformed relations, undecrypted envelopes", () => {
    expect(planRelay("m.room.message", {})).toBeUndefined();
    expect(planRelay("m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: "nope", key: "x" } })).toBe(
      undefined,
    );
    expect(planRelay("m.room.redaction", {})).toBeUndefined();
    expect(planRelay("m.room.encrypted", { ciphertext: "…" })).toBeUndefined();
    expect(
      planRelay("m.room.message", { msgtype: "m.text", body: "*", "m.relates_to": { rel_type: "m.replace" } }),
    ).toBeUndefined();
  });

  it("hides Matrix user IDs that a mention would reveal", () => {
    expect(stripUserIds("ask @alice:partner-a.org or @bob_1:localhost:8448 please")).toBe("ask […] or […] please");
    expect(stripUserIds("email me at a@b")).toBe("email me at a@b");
  });
});
