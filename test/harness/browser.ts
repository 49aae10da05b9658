import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";

const projectRoot = resolve(import.meta.dirname, "../..");

/** Debian's Chromium (scripts/ensure-chromium.sh installs it), headless, driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync("bash", [resolve(projectRoot, "scripts/ensure-chromium.sh")], {
    encoding: "utf8",
  }).trim();
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
}

/** Builds the web app into `outDir` (a test's own directory, so parallel test files never share a build). */
export async function buildWebchat(outDir: string): Promise<void> {
  await build({
    configFile: resolve(projectRoot, "webchat/vite.config.ts"),
    build: { outDir, emptyOutDir: true },
  });
}
