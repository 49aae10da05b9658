import { randomBytes } from "node:crypto";
import { createClient, type MatrixClient } from "matrix-js-sdk";
import { decryptAttachment, encryptAttachment, type IEncryptedFile } from "matrix-encrypt-attachment";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relayMedia, type RelayMediaDeps } from "../../bridge/media/relay-media.ts";
import { createLogger } from "../../core/log/logger.ts";
import type { LogLevel } from "../../core/log/levels.ts";
import {
  createEncryptedRoom,
  joinWhenInvited,
  startTestClient,
  TimelineRecorder,
  type TestClient,
} from "../harness/clients.ts";
import { exifHasGps, metadataTraces, photoWithGps } from "../harness/photos.ts";
import { startFederation, type Federation, type Homeserver } from "../harness/synapse.ts";
import { download, uploadEncrypted } from "../harness/media.ts";

const logger = createLogger((process.env["LOG_LEVEL"] ?? "warn") as LogLevel);
const mebibyte = 1024 * 1024;

async function clientOf(server: Homeserver): Promise<MatrixClient> {
  const user = await server.registerUser();
  return createClient({ baseUrl: server.clientUrl, userId: user.userId, accessToken: user.accessToken });
}

/** A fetch that counts the body bytes the caller actually read; optionally hides Content-Length. */
function watchedFetch(options: { hideLength: boolean }) {
  const watch = { calls: 0, bodyBytesRead: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    watch.calls++;
    const response = await fetch(input, init);
    const counting = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        watch.bodyBytesRead += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const headers = new Headers(response.headers);
    if (options.hideLength) headers.delete("content-length");
    return new Response(response.body!.pipeThrough(counting), { status: response.status, headers });
  };
  return { fetchFn, watch };
}

describe("bridge media relay against a real Synapse", () => {
  let federation: Federation;
  let survivor: MatrixClient;
  let bridge: MatrixClient;
  let responder: MatrixClient;
  const clients: TestClient[] = [];
  const recorders: TimelineRecorder[] = [];

  beforeAll(async () => {
    federation = await startFederation({ names: ["hub", "partner-a"] });
    const hub = federation.server("hub");
    [survivor, bridge, responder] = await Promise.all([clientOf(hub), clientOf(hub), clientOf(hub)]);
  });

  afterAll(async () => {
    for (const recorder of recorders) recorder.stop();
    await Promise.all(clients.map((c) => c.stop()));
    await federation?.stop();
  });

  const deps = (extra: Partial<RelayMediaDeps> = {}): RelayMediaDeps => ({
    client: bridge,
    maxBytes: 10 * mebibyte,
    logger,
    ...extra,
  });

  it("relays an encrypted photo with GPS EXIF as a new attachment that carries no metadata", async () => {
    const photo = await photoWithGps("jpeg");
    const sent = await sharp(photo).metadata();
    expect(sent.exif !== undefined && exifHasGps(sent.exif)).toBe(true);
    const file = await uploadEncrypted(survivor, photo);

    const relayed = await relayMedia(deps(), {
      msgtype: "m.image",
      body: "IMG_20261128_home.jpg",
      info: {
        mimetype: "image/jpeg",
        size: photo.length,
        w: 40,
        h: 20,
        thumbnail_file: file,
        thumbnail_info: { w: 40, h: 20 },
        "xyz.amorgan.blurhash": "LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
      },
      file,
    });

    expect(relayed.ok).toBe(true);
    if (!relayed.ok) return;
    const content = relayed.content as { file: IEncryptedFile & { url: string }; info: Record<string, unknown> };
    expect(content).toMatchObject({ msgtype: "m.image", body: "image.jpg", filename: "image.jpg" });
    expect(content).not.toHaveProperty("url");
    expect(Object.keys(content.info).sort()).toEqual(["h", "mimetype", "size", "w"]);
    expect(content.info).toMatchObject({ mimetype: "image/jpeg", w: 20, h: 40 });
    expect(content.file.url).not.toBe(file.url);
    expect(content.file.key.k).not.toBe(file.key.k);
    expect(JSON.stringify(content)).not.toContain("IMG_20261128_home");

    const ciphertext = await download(responder, content.file.url);
    expect(ciphertext.length).toBe(content.info["size"]);
    const received = new Uint8Array(await decryptAttachment(ciphertext.buffer, content.file));
    const metadata = await sharp(received).metadata();
    expect(metadata).toMatchObject({ format: "jpeg", width: 20, height: 40 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadataTraces(received)).toEqual([]);
  });

  it("refuses a file over the limit without reading it, whether or not the server states its length", async () => {
    const big = randomBytes(3 * mebibyte);
    const file = await uploadEncrypted(survivor, big);
    const content = { msgtype: "m.file", body: "big.bin", file };

    const stated = watchedFetch({ hideLength: false });
    expect(await relayMedia(deps({ maxBytes: mebibyte, fetch: stated.fetchFn }), content)).toEqual({
      ok: false,
      reason: "too-large",
    });
    expect(stated.watch).toEqual({ calls: 1, bodyBytesRead: 0 });

    const unstated = watchedFetch({ hideLength: true });
    expect(await relayMedia(deps({ maxBytes: mebibyte, fetch: unstated.fetchFn }), content)).toEqual({
      ok: false,
      reason: "too-large",
    });
    expect(unstated.watch.bodyBytesRead).toBeGreaterThan(mebibyte);
    expect(unstated.watch.bodyBytesRead).toBeLessThan(2 * mebibyte);

    const declared = watchedFetch({ hideLength: false });
    const withSize = { ...content, info: { size: big.length } };
    expect(await relayMedia(deps({ maxBytes: mebibyte, fetch: declared.fetchFn }), withSize)).toEqual({
      ok: false,
      reason: "too-large",
    });
    expect(declared.watch.calls).toBe(0);
  });

  it("passes a document on byte for byte under a neutral name", async () => {
    const document = new Uint8Array(Buffer.from("%PDF-1.7\n% a letter\n%%EOF\n", "latin1"));
    const file = await uploadEncrypted(survivor, document);

    const relayed = await relayMedia(deps(), {
      msgtype: "m.file",
      body: "Letter to my lawyer.pdf",
      filename: "Letter to my lawyer.pdf",
      info: { mimetype: "application/pdf", size: document.length },
      file,
    });

    expect(relayed.ok && relayed.content).toMatchObject({ msgtype: "m.file", body: "file.pdf", filename: "file.pdf" });
    if (!relayed.ok) return;
    const copy = relayed.content["file"] as IEncryptedFile & { url: string };
    const received = new Uint8Array(await decryptAttachment((await download(responder, copy.url)).buffer, copy));
    expect(received).toEqual(document);
  });

  it("relays a sticker (a plain, unencrypted upload) as an encrypted image without metadata", async () => {
    const sticker = await photoWithGps("webp");
    const { content_uri: url } = await survivor.uploadContent(sticker, { type: "image/webp", name: "my-sticker.webp" });

    const relayed = await relayMedia(
      deps(),
      { body: "a waving cat", url, info: { mimetype: "image/webp" } },
      "m.sticker",
    );

    expect(relayed.ok && relayed.content).toMatchObject({ msgtype: "m.image", body: "image.webp" });
    if (!relayed.ok) return;
    expect(relayed.content).not.toHaveProperty("url");
    const copy = relayed.content["file"] as IEncryptedFile & { url: string };
    const received = new Uint8Array(await decryptAttachment((await download(responder, copy.url)).buffer, copy));
    const metadata = await sharp(received).metadata();
    expect(metadata.format).toBe("webp");
    expect(metadata.exif).toBeUndefined();
    expect(metadataTraces(received)).toEqual([]);
  });

  it("refuses an attachment whose ciphertext does not match its hash, and one that is not there", async () => {
    const file = await uploadEncrypted(survivor, await photoWithGps("png"));
    const tampered = { ...file, hashes: { sha256: Buffer.alloc(32).toString("base64").replace(/=+$/, "") } };
    expect(await relayMedia(deps(), { msgtype: "m.image", body: "x", file: tampered })).toEqual({
      ok: false,
      reason: "decryption-failed",
    });
    const missing = { ...file, url: `${file.url.slice(0, file.url.lastIndexOf("/"))}/NoSuchMedia` };
    expect(await relayMedia(deps(), { msgtype: "m.image", body: "x", file: missing })).toEqual({
      ok: false,
      reason: "download-failed",
    });
  });

  it("a photo sent by the survivor reaches a responder on a partner server without its GPS EXIF", async () => {
    const survivor = await startTestClient(federation.server("hub"));
    const bot = await startTestClient(federation.server("hub"));
    const responder = await startTestClient(federation.server("partner-a"));
    clients.push(survivor, bot, responder);

    const caseRoom = await createEncryptedRoom(bot.client, [survivor.user.userId]);
    await joinWhenInvited(survivor.client, caseRoom);
    const orgRoom = await createEncryptedRoom(bot.client, [responder.user.userId]);
    await joinWhenInvited(responder.client, orgRoom);
    const botSees = new TimelineRecorder(bot.client, caseRoom);
    const responderSees = new TimelineRecorder(responder.client, orgRoom);
    recorders.push(botSees, responderSees);

    const photo = await photoWithGps("jpeg");
    const { data, info } = await encryptAttachment(photo.slice().buffer);
    const { content_uri: url } = await survivor.client.uploadContent(new Uint8Array(data), {
      type: "application/octet-stream",
      includeFilename: false,
    });
    await survivor.client.sendMessage(caseRoom, {
      msgtype: "m.image",
      body: "IMG_home.jpg",
      info: { mimetype: "image/jpeg", size: photo.length, w: 40, h: 20 },
      file: { ...info, url },
    } as never);

    await botSees.waitFor("the photo at the bot", () => botSees.messages(survivor.user.userId).length === 1);
    const received = botSees.messages(survivor.user.userId)[0]!;
    expect(received.isEncrypted()).toBe(true);
    const relayed = await relayMedia({ client: bot.client, maxBytes: 5 * 1024 * 1024, logger }, received.getContent());
    expect(relayed.ok).toBe(true);
    if (!relayed.ok) return;
    await bot.client.sendMessage(orgRoom, relayed.content as never);

    await responderSees.waitFor(
      "the copy at the responder",
      () => responderSees.messages(bot.user.userId).length === 1,
    );
    const copy = responderSees.messages(bot.user.userId)[0]!;
    expect(copy.isEncrypted()).toBe(true);
    const content = copy.getContent<{ body: string; file: IEncryptedFile & { url: string } }>();
    expect(content.body).toBe("image.jpg");
    expect(JSON.stringify(copy.getContent())).not.toContain(survivor.user.userId);
    expect(JSON.stringify(copy.getContent())).not.toContain(url);

    const ciphertext = await download(responder.client, content.file.url);
    const image = new Uint8Array(await decryptAttachment(ciphertext.buffer, content.file));
    const metadata = await sharp(image).metadata();
    expect(metadata).toMatchObject({ format: "jpeg", width: 20, height: 40 });
    expect(metadata.exif).toBeUndefined();
    expect(metadataTraces(image)).toEqual([]);
  });
});
