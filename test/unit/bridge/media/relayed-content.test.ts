import { describe, expect, it } from "vitest";
import { neutralFileName } from "../../../../bridge/media/neutral-name.ts";
import { relayedMediaContent } from "../../../../bridge/media/relayed-content.ts";
import { sizeText } from "../../../../bridge/media/size-text.ts";

const newFile = {
  url: "mxc://hub/NewMedia",
  key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: "bmV3a2V5", ext: true },
  iv: "AAAAAAAAAAAAAAAAAAAAAA",
  hashes: { sha256: "bmV3aGFzaA" },
  v: "v2",
};

describe("bridge media: neutral names", () => {
  it("names a file by its kind and type only", () => {
    expect(neutralFileName("image", false, "image/jpeg")).toBe("image.jpg");
    expect(neutralFileName("file", false, "application/pdf")).toBe("file.pdf");
    expect(neutralFileName("audio", true, "audio/ogg")).toBe("voice-message.ogg");
    expect(neutralFileName("video", false, "video/mp4")).toBe("video.mp4");
    expect(neutralFileName("file", false, "application/x-unknown")).toBe("file");
    expect(neutralFileName("file", false, undefined)).toBe("file");
  });
});

describe("bridge media: the copy's content", () => {
  it("has the msgtype, a neutral body and filename, size facts only, and the new encrypted file", () => {
    const content = relayedMediaContent({
      kind: "image",
      voice: false,
      mimetype: "image/jpeg",
      size: 2048,
      width: 20,
      height: 40,
      file: newFile,
    });
    expect(content).toEqual({
      msgtype: "m.image",
      body: "image.jpg",
      filename: "image.jpg",
      info: { mimetype: "image/jpeg", size: 2048, w: 20, h: 40 },
      file: newFile,
    });
    expect(content).not.toHaveProperty("url");
  });

  it("copies only the EncryptedFile fields of the upload", () => {
    const content = relayedMediaContent({
      kind: "file",
      voice: false,
      mimetype: undefined,
      size: 10,
      file: { ...newFile, extra: "x" } as typeof newFile,
    });
    expect(Object.keys(content["file"] as object).sort()).toEqual(["hashes", "iv", "key", "url", "v"]);
    expect(content["info"]).toEqual({ size: 10 });
    expect(content["body"]).toBe("file");
  });

  it("keeps a voice note a voice note, with its duration", () => {
    expect(
      relayedMediaContent({
        kind: "audio",
        voice: true,
        mimetype: "audio/ogg",
        size: 999,
        durationMs: 4200,
        file: newFile,
      }),
    ).toEqual({
      msgtype: "m.audio",
      body: "voice-message.ogg",
      filename: "voice-message.ogg",
      info: { mimetype: "audio/ogg", size: 999, duration: 4200 },
      file: newFile,
      "org.matrix.msc3245.voice": {},
      "org.matrix.msc1767.audio": { duration: 4200 },
    });
  });
});

describe("bridge media: a size limit in words", () => {
  it("says megabytes, or kilobytes below one", () => {
    expect(sizeText(20 * 1024 * 1024)).toBe("20 MB");
    expect(sizeText(25_000_000)).toBe("23 MB");
    expect(sizeText(512 * 1024)).toBe("512 KB");
    expect(sizeText(10)).toBe("1 KB");
  });
});
