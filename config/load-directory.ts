// Reads the service directory seed (config/directory.sample.yaml is the example) into validated Services.
import {
  parseServices,
  type DirectoryProblem,
  type ParseServicesResult,
  type Service,
} from "../core/directory/index.ts";
import { ConfigError } from "./config-error.ts";
import { readYamlFile } from "./yaml-file.ts";

const DOCUMENT_KEYS = ["services"];

function itemId(items: readonly unknown[], path: string): string | undefined {
  const index = /^\[(\d+)\]/.exec(path)?.[1];
  if (index === undefined || path === `[${index}].id`) return undefined;
  const item = items[Number(index)];
  const id = typeof item === "object" && item !== null && "id" in item ? item.id : undefined;
  return typeof id === "string" ? id : undefined;
}

/**
 * A directory document: a mapping whose `services` key holds the list of services. Problem paths are
 * document paths (`services[3].hours.timeZone`) followed, where known, by the service's id.
 */
export function parseDirectoryDocument(document: unknown): ParseServicesResult {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return { ok: false, problems: [{ path: "", message: "expected a mapping with a services list" }] };
  }
  const unknownKey = Object.keys(document).find((key) => !DOCUMENT_KEYS.includes(key));
  if (unknownKey !== undefined) return { ok: false, problems: [{ path: unknownKey, message: "unknown key" }] };
  const items: unknown = (document as { services?: unknown }).services;
  if (items === undefined)
    return { ok: false, problems: [{ path: "services", message: "missing (expected a list of services)" }] };
  const result = parseServices(items);
  if (result.ok) return result;
  const list: readonly unknown[] = Array.isArray(items) ? items : [];
  const problems = result.problems.map((problem): DirectoryProblem => {
    const id = itemId(list, problem.path);
    return {
      path: `services${problem.path}`,
      message: id === undefined ? problem.message : `${problem.message} (service ${JSON.stringify(id)})`,
    };
  });
  return { ok: false, problems };
}

/**
 * Reads and validates a directory YAML file. Throws a one-line ConfigError naming the file, the path in it and
 * the first problem (with how many more there are).
 */
export function loadDirectoryFile(path: string): Service[] {
  const result = parseDirectoryDocument(readYamlFile(path));
  if (result.ok) return result.services;
  const [first] = result.problems;
  const more = result.problems.length - 1;
  const where = first === undefined || first.path === "" ? "" : `${first.path}: `;
  throw new ConfigError(
    `${path}: ${where}${first?.message ?? "invalid directory"}${more > 0 ? ` (and ${more} more)` : ""}`,
  );
}
