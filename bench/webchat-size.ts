// How much a survivor's phone downloads to see the web chat's first screen, and what comes after it.
// Builds the app, serves it with the web chat's own server (gzip as in production) and loads it in headless
// Chromium at 360 px. Reports sizes; asserts nothing. Run: npm run bench:webchat-size
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { openDatabase } from "../core/db/open.ts";
import { createLogger } from "../core/log/logger.ts";
import { scryptCodeHasher } from "../webchat/server/code-hash.ts";
import { fixedWindowLimiter } from "../webchat/server/rate-limiter.ts";
import { startWebchat } from "../webchat/server/webchat-server.ts";
import { buildWebchat, launchChromium } from "../test/harness/browser.ts";

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const lazyPhase = "after the first screen, while she reads it (Matrix SDK, preloaded when idle)";

const dir = await mkdtemp(join(tmpdir(), "haven-webchat-bench-"));
const assetsDir = join(dir, "dist");
await buildWebchat(assetsDir);
const database = await openDatabase({ url: ":memory:", dataDir: dir });
const unused = async (): Promise<never> => {
  throw new Error("not used by the benchmark");
};
const webchat = await startWebchat({
  host: "127.0.0.1",
  port: 0,
  title: "Chat",
  exitUrl: "https://example.org/",
  intakeUserId: "@intake:hub",
  hubClientUrl: "http://127.0.0.1:9",
  assetsDir,
  db: database.db,
  hub: { createAnonymous: unused, whoami: unused, deactivate: unused },
  hashCode: scryptCodeHasher(new Uint8Array(32)),
  accountLimiter: fixedWindowLimiter({ perKey: 1, overall: 1, windowMs: 1, now: Date.now }),
  codeLimiter: fixedWindowLimiter({ perKey: 1, overall: 1, windowMs: 1, now: Date.now }),
  eraseSurvivor: unused,
  now: Date.now,
  logger: createLogger("fatal"),
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  const transfers: { url: string; bytes: number; phase: string }[] = [];
  // The entry chunk loads only the first screen; the SDK chunk is imported lazily (see webchat/app/main.ts).
  const lazy = /\/assets\/(session|rust-crypto)-/;
  page.on("requestfinished", (request) => {
    const url = new URL(request.url()).pathname;
    void request.sizes().then((sizes) =>
      transfers.push({
        url,
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
        phase: lazy.test(url) ? lazyPhase : "first screen",
      }),
    );
  });
  await page.goto(`${webchat.url}/`);
  await page.getByTestId("start").waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState("networkidle");
  await new Promise((r) => setTimeout(r, 500)); // let the last sizes() promises settle

  for (const name of ["first screen", lazyPhase]) {
    const items = transfers.filter((t) => t.phase === name);
    console.log(`\n${name}: ${kib(items.reduce((sum, t) => sum + t.bytes, 0))} transferred (gzip)`);
    for (const t of items) console.log(`  ${kib(t.bytes).padStart(12)}  ${t.url}`);
  }
  const wasm = (await readdir(join(assetsDir, "assets"))).find((f) => f.endsWith(".wasm"));
  if (wasm !== undefined) {
    const bytes = await readFile(join(assetsDir, "assets", wasm));
    console.log(
      `\ncrypto WASM, fetched when she starts or restores a chat: ${kib(gzipSync(bytes, { level: 9 }).length)} gzip (${kib(bytes.length)} raw)`,
    );
  }
} finally {
  await browser.close();
  await webchat.stop();
  await database.close();
  await rm(dir, { recursive: true, force: true });
}
