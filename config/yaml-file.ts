import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError } from "./config-error.ts";

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

/**
 * Reads a YAML file into plain data. Unreadable files and YAML errors become one-line ConfigErrors with the line
 * and column; the offending source line is not quoted (it may hold something that should not be printed).
 */
export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [error] = document.errors;
  if (error !== undefined) {
    const where = error.linePos === undefined ? "" : ` line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
    const message = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigError(`${path}${where}: invalid YAML: ${message}`);
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(
      `${path}: invalid YAML: ${error instanceof Error ? firstLine(error.message) : "cannot convert"}`,
    );
  }
  if (data === null || data === undefined) throw new ConfigError(`${path}: empty (expected a mapping of settings)`);
  return data;
}
