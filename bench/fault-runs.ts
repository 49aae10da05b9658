// `npm run bench -- --faults`: the fault runs of test/e2e/bridge-faults.test.ts (Haven killed with SIGKILL, the
// hub's Synapse restarted, the organisation's server down for 30 s, a full disk) with more messages than `npm test`
// sends, recorded with pass/fail and durations. Not part of CI: at 1,000 messages it takes tens of minutes.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FaultRun {
  readonly name: string;
  readonly passed: boolean;
  readonly durationMs: number | null;
  /** The first lines of the failure, when it failed (assertion text: message counts and bodies of test fixtures). */
  readonly failure: string | null;
}

export interface FaultRuns {
  readonly messages: number;
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly runs: readonly FaultRun[];
}

interface VitestJsonReport {
  readonly testResults: readonly {
    readonly assertionResults: readonly {
      readonly title: string;
      readonly status: string;
      readonly duration?: number | null;
      readonly failureMessages?: readonly string[];
    }[];
  }[];
}

export async function runFaultRuns(messages: number, log: (line: string) => void): Promise<FaultRuns> {
  const dir = await mkdtemp(join(tmpdir(), "haven-bench-faults-"));
  const report = join(dir, "report.json");
  const started = performance.now();
  log(`fault runs: ${messages} messages (test/e2e/bridge-faults.test.ts)`);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      "npx",
      [
        "vitest",
        "run",
        "--project",
        "integration",
        "test/e2e/bridge-faults.test.ts",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${report}`,
      ],
      { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, HAVEN_FAULT_MESSAGES: String(messages) } },
    );
    child.on("error", reject);
    child.on("exit", (code) => resolve(code));
  });
  const wallMs = Math.round(performance.now() - started);
  try {
    const parsed = JSON.parse(await readFile(report, "utf8")) as VitestJsonReport;
    const runs = parsed.testResults.flatMap((file) =>
      file.assertionResults.map((test) => ({
        name: test.title,
        passed: test.status === "passed",
        durationMs: test.duration === undefined || test.duration === null ? null : Math.round(test.duration),
        failure: test.failureMessages?.[0]?.split("\n").slice(0, 3).join("\n") ?? null,
      })),
    );
    return { messages, wallMs, exitCode, runs };
  } catch {
    return { messages, wallMs, exitCode, runs: [] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
