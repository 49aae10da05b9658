import { dirname, resolve } from "node:path";
import { configPathVariable } from "./env-overrides.ts";
import { parseConfig } from "./parse.ts";
import { defaultConfigPath } from "./project-root.ts";
import type { Env } from "./secret-field.ts";
import type { Config } from "./types.ts";
import { readYamlFile } from "./yaml-file.ts";

export interface LoadConfigOptions {
  /** The config file. Default: $HAVEN_CONFIG, else config/haven.yaml in the project root. */
  readonly path?: string;
  readonly env: Env;
  /** Directory that relative paths (the config path, HAVEN_DATA_DIR) are resolved against. Default: process.cwd(). */
  readonly cwd?: string;
}

/** The absolute path of the config file that loadConfig reads. */
export function resolveConfigPath(options: LoadConfigOptions): string {
  const given = options.path ?? (options.env[configPathVariable] || undefined);
  return given === undefined ? defaultConfigPath : resolve(options.cwd ?? process.cwd(), given);
}

/**
 * Reads, validates and freezes Haven's config: the YAML file, then the environment overrides on top.
 * Throws a ConfigError (one line, no secret values) when anything is wrong.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const path = resolveConfigPath(options);
  return parseConfig(readYamlFile(path), { env: options.env, baseDir: dirname(path), cwd: options.cwd });
}
