import { describe, expect, it } from "vitest";
import { normaliseMimetype, readMediaMessage } from "../../../../bridge/media/media-message.ts";

const encryptedFile = {
  url: "mxc://hub.example:8448/AbCdEf123",
  key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: "c2VjcmV0", ext: true },
  iv: "AAAAAAAAAAAAAAAAAAAAAA",
  hashes: { sha256: "aGFzaA" },
  v: "v2",
};

describe("bridge media: reading a media message", () => {
  it("reads each media msgtype with its encrypted source and size facts", () => {
    for (const [msgtype, kind] of [
      ["m.image", "image"],
      ["m.file", "file"],
      ["m.audio", "audio"],
      ["m.video", "video"],
    ] as const) {
      const message = readMediaMessage("m.room.message", {
        msgtype,
        body: "IMG_2024_home.jpg",
        file: encryptedFile,
        info: { mimetype: "Image/JPEG; q=1", size: 1234, duration: 5000.4 },
      });
      expect(message).toEqual({
        kind,
        voice: false,
        source: { kind: "encrypted", mxc: encryptedFile.url, file: encryptedFile },
        declaredSize: 1234,
        mimetype: "image/jpeg",
        durationMs: 5000,
        caption: undefined,
      });
    }
  });

  it("reads a plain url, a voice note, a sticker and a caption", () => {
    expect(readMediaMessage("m.room.message", { msgtype: "m.image", url: "mxc://hub/abc" })?.source).toEqual({
      kind: "plain",
      mxc: "mxc://hub/abc",
    });
    const voice = readMediaMessage("m.room.message", {
      msgtype: "m.audio",
      file: encryptedFile,
      "org.matrix.msc3245.voice": {},
    });
    expect(voice?.voice).toBe(true);
    expect(readMediaMessage("m.sticker", { body: "a cat", url: "mxc://hub/abc" })).toMatchObject({
      kind: "image",
      caption: undefined,
    });
    expect(
      readMediaMessage("m.room.message", {
        msgtype: "m.image",
        body: "this is where he hit me",
        filename: "photo.jpg",
        file: encryptedFile,
      })?.caption,
    ).toBe("this is where he hit me");
  });

  it("is undefined for text, unknown msgtypes, and media without a usable source", () => {
    expect(readMediaMessage("m.room.message", { msgtype: "m.text", body: "hi" })).toBeUndefined();
    expect(readMediaMessage("m.room.message", { msgtype: "m.location", geo_uri: "geo:1,2" })).toBeUndefined();
    expect(readMediaMessage("m.reaction", { msgtype: "m.image", url: "mxc://hub/abc" })).toBeUndefined();
    expect(readMediaMessage("m.room.message", { msgtype: "m.image" })).toBeUndefined();
    expect(readMediaMessage("m.room.message", { msgtype: "m.image", url: "https://evil.example/x" })).toBeUndefined();
    expect(readMediaMessage("m.room.message", { msgtype: "m.image", url: "mxc://hub/../admin" })).toBeUndefined();
    const { hashes: _hashes, ...withoutHash } = encryptedFile;
    expect(readMediaMessage("m.room.message", { msgtype: "m.file", file: withoutHash })).toBeUndefined();
  });

  it("ignores sizes and durations that are not plain non-negative numbers", () => {
    const message = readMediaMessage("m.room.message", {
      msgtype: "m.video",
      file: encryptedFile,
      info: { size: "999999999", duration: -3, mimetype: "video/mp4\n<script>" },
    });
    expect(message).toMatchObject({ declaredSize: undefined, durationMs: undefined, mimetype: undefined });
  });

  it("normalises mimetypes and refuses anything that is not one", () => {
    expect(normaliseMimetype("audio/ogg; codecs=opus")).toBe("audio/ogg");
    expect(normaliseMimetype("application/vnd.oasis.opendocument.text")).toBe(
      "application/vnd.oasis.opendocument.text",
    );
    expect(normaliseMimetype("my holiday photo")).toBeUndefined();
    expect(normaliseMimetype(42)).toBeUndefined();
  });
});
