import { describe, expect, it } from "vitest";
import {
  isEdit,
  isStaffNote,
  orgToSurvivorText,
  readRelayable,
  relayTxnId,
  stripReplyFallback,
  survivorToOrgText,
  unsupportedToOrgText,
} from "../../../bridge/relay-content.ts";

describe("bridge: what a message becomes", () => {
  it("relays text, notices and emotes by their plain body only", () => {
    expect(readRelayable("m.room.message", { msgtype: "m.text", body: "hi", formatted_body: "<b>hi</b>" })).toEqual({
      kind: "text",
      body: "hi",
      emote: false,
    });
    expect(readRelayable("m.room.message", { msgtype: "m.notice", body: "n" })).toMatchObject({ kind: "text" });
    expect(readRelayable("m.room.message", { msgtype: "m.emote", body: "waves" })).toEqual({
      kind: "text",
      body: "waves",
      emote: true,
    });
  });

  it("calls media, stickers and bodiless messages unsupported, and ignores other event types", () => {
    expect(readRelayable("m.room.message", { msgtype: "m.image", body: "a.jpg", url: "mxc://x/y" })).toEqual({
      kind: "unsupported",
    });
    expect(readRelayable("m.sticker", { body: "cat" })).toEqual({ kind: "unsupported" });
    expect(readRelayable("m.room.message", { msgtype: "m.text" })).toEqual({ kind: "unsupported" });
    expect(readRelayable("m.reaction", {})).toBeUndefined();
    expect(readRelayable("m.room.message", {})).toBeUndefined();
  });

  it("drops a reply's quote, which would name the quoted sender", () => {
    const content = {
      msgtype: "m.text",
      body: "> <@her:hub.example> earlier words\n> more\n\nmy answer",
      "m.relates_to": { "m.in_reply_to": { event_id: "$x" } },
    };
    expect(readRelayable("m.room.message", content)).toEqual({ kind: "text", body: "my answer", emote: false });
    expect(stripReplyFallback("no quote\n> later")).toBe("no quote\n> later");
    // A body that merely starts with ">" and is not a reply is relayed as written.
    expect(readRelayable("m.room.message", { msgtype: "m.text", body: "> quoted" })).toMatchObject({
      body: "> quoted",
    });
  });

  it("knows staff notes and edits", () => {
    expect(isStaffNote("!note she prefers mornings")).toBe(true);
    expect(isStaffNote("  !NOTE x")).toBe(true);
    expect(isStaffNote("!note")).toBe(true);
    expect(isStaffNote("!notes are fine")).toBe(false);
    expect(isStaffNote("please !note")).toBe(false);
    expect(isEdit({ "m.relates_to": { rel_type: "m.replace", event_id: "$x" } })).toBe(true);
    expect(isEdit({ body: "x" })).toBe(false);
  });

  it("prefixes each side's words, in the organisation's staff language", () => {
    expect(survivorToOrgText("en", "K7Q2-M4X9", { body: "hello", emote: false })).toBe("Case K7Q2-M4X9: hello");
    expect(survivorToOrgText("en", "K7Q2-M4X9", { body: "waves", emote: true })).toBe("Case K7Q2-M4X9: * waves");
    expect(survivorToOrgText("km", "K7Q2-M4X9", { body: "សួស្តី", emote: false })).toBe("ករណី K7Q2-M4X9៖ សួស្តី");
    // Her words are never read as a template.
    expect(survivorToOrgText("en", "K7Q2-M4X9", { body: "{code} {body}", emote: false })).toBe(
      "Case K7Q2-M4X9: {code} {body}",
    );
    expect(orgToSurvivorText("NGO-A counsellor", { body: "we are here", emote: false })).toBe(
      "NGO-A counsellor: we are here",
    );
    expect(unsupportedToOrgText("en", "K7Q2-M4X9")).toBe("Case K7Q2-M4X9: unsupported content (not relayed)");
    expect(unsupportedToOrgText("km", "K7Q2-M4X9")).toMatch(/^ករណី K7Q2-M4X9៖ /);
  });

  it("derives one transaction ID per source event and part", () => {
    expect(relayTxnId("$a")).toBe(relayTxnId("$a"));
    expect(relayTxnId("$a")).not.toBe(relayTxnId("$b"));
    expect(relayTxnId("$a", "notice")).not.toBe(relayTxnId("$a"));
  });
});
