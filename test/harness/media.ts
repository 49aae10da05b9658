// Attachments as a client like Element handles them in an encrypted room: encrypted before upload, fetched
// through the authenticated media endpoint and decrypted after download.
import type { MatrixClient } from "matrix-js-sdk";
import { decryptAttachment, encryptAttachment, type IEncryptedFile } from "matrix-encrypt-attachment";
import { expect } from "vitest";

export async function uploadEncrypted(
  client: MatrixClient,
  plaintext: Uint8Array,
): Promise<IEncryptedFile & { url: string }> {
  const { data, info } = await encryptAttachment(new Uint8Array(plaintext).buffer);
  const { content_uri: url } = await client.uploadContent(new Uint8Array(data), {
    type: "application/octet-stream",
    includeFilename: false,
  });
  return { ...info, url };
}

/** Downloads through the authenticated media endpoint of the client's own homeserver (remote media: over federation). */
export async function download(client: MatrixClient, mxc: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true)!;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition") ?? "").not.toContain("filename");
  return new Uint8Array(await response.arrayBuffer());
}

export async function downloadDecrypted(
  client: MatrixClient,
  file: IEncryptedFile & { url: string },
): Promise<Uint8Array> {
  return new Uint8Array(await decryptAttachment((await download(client, file.url)).buffer, file));
}
