import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { projectRoot } from "../../config/project-root.ts";

/** Which shipped hardened Synapse config a homeserver takes: Haven's hub, or a partner organisation's server. */
export type HomeserverRole = "hub" | "partner";

/** The shipped file of hardened settings for `role` (config/synapse/<role>.yaml). */
export function hardenedConfigPath(role: HomeserverRole): string {
  return join(projectRoot, "config", "synapse", `${role}.yaml`);
}

export function readHardenedConfig(role: HomeserverRole): Record<string, unknown> {
  return parse(readFileSync(hardenedConfigPath(role), "utf8")) as Record<string, unknown>;
}

/**
 * `base` with the shipped hardened settings laid over it key by key at the top level, as Synapse merges a second
 * --config-path, except the federation allowlist, which names this deployment's servers rather than the file's
 * example ones.
 */
export function withHardenedConfig(
  base: Record<string, unknown>,
  role: HomeserverRole,
  federationAllowlist: readonly string[],
): Record<string, unknown> {
  return { ...base, ...readHardenedConfig(role), federation_domain_whitelist: [...federationAllowlist] };
}
