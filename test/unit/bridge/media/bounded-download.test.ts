import { describe, expect, it } from "vitest";
import { downloadWithinLimit, readWithinLimit } from "../../../../bridge/media/bounded-download.ts";

/** A body that never ends, counting how many chunks were pulled from it and whether it was cancelled. */
function endlessBody(chunkSize: number) {
  const watch = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        watch.pulled++;
        controller.enqueue(new Uint8Array(chunkSize).fill(7));
      },
      cancel() {
        watch.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, watch };
}

const bodyOf = (...chunks: number[][]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
      controller.close();
    },
  });

describe("bridge media: reading a download within a size limit", () => {
  it("returns every byte of a body within the limit", async () => {
    const read = await readWithinLimit(bodyOf([1, 2, 3], [4], [5, 6]), 6);
    expect(read).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 3, 4, 5, 6]) });
  });

  it("stops reading and cancels the stream once the body passes the limit", async () => {
    const { body, watch } = endlessBody(1024);
    const read = await readWithinLimit(body, 10 * 1024);
    expect(read).toEqual({ ok: false, reason: "too-large" });
    expect(watch.cancelled).toBe(true);
    expect(watch.pulled).toBe(11);
  });

  it("refuses a body one byte over the limit", async () => {
    expect(await readWithinLimit(bodyOf([1, 2, 3], [4]), 3)).toEqual({ ok: false, reason: "too-large" });
  });
});

describe("bridge media: downloading from the hub", () => {
  const client = {
    mxcUrlToHttp: () => "http://hub.invalid/_matrix/client/v1/media/download/hub/abc",
    getAccessToken: () => "token",
  };

  /** A server that sends headers and then nothing, until the request is aborted. */
  const stalledFetch: typeof fetch = async (_input, init) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        init?.signal?.addEventListener("abort", () => controller.error(init.signal?.reason));
      },
    });
    return new Response(body, { status: 200 });
  };

  it("gives up on a download that stalls, once its time is up", async () => {
    const result = await downloadWithinLimit(client, "mxc://hub/abc", {
      maxBytes: 1024,
      timeoutMs: 50,
      fetch: stalledFetch,
    });
    expect(result).toEqual({ ok: false, reason: "download-failed" });
  });

  it("refuses on a stated length over the limit", async () => {
    const bigFetch: typeof fetch = async () =>
      new Response(new Uint8Array(10), { status: 200, headers: { "content-length": "2048" } });
    const result = await downloadWithinLimit(client, "mxc://hub/abc", {
      maxBytes: 1024,
      timeoutMs: 1000,
      fetch: bigFetch,
    });
    expect(result).toEqual({ ok: false, reason: "too-large" });
  });

  it("reports a server error as a failed download", async () => {
    const notFound: typeof fetch = async () => new Response("{}", { status: 404 });
    const result = await downloadWithinLimit(client, "mxc://hub/abc", {
      maxBytes: 1024,
      timeoutMs: 1000,
      fetch: notFound,
    });
    expect(result).toEqual({ ok: false, reason: "download-failed" });
  });
});
