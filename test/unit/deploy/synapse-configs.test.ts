// The shipped hardened Synapse configs (config/synapse/): every setting that keeps data from outliving its purpose.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { hardenedConfigPath, withHardenedConfig, type HomeserverRole } from "../../../bin/local-synapse/hardened.ts";

/** Synapse's duration strings as the shipped files use them ("15m", "1h", "7d"), in milliseconds. */
function synapseDuration(text: unknown): number {
  const match = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(String(text));
  if (!match) throw new Error(`not a Synapse duration: ${String(text)}`);
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 }[match[2] as "ms"];
  return Number(match[1]) * unit;
}

interface PurgeJob {
  shortest_max_lifetime?: string;
  longest_max_lifetime?: string;
  interval: string;
}

const roles: HomeserverRole[] = ["hub", "partner"];

describe.for(roles)("config/synapse/%s.yaml", (role) => {
  const config = parse(readFileSync(hardenedConfigPath(role), "utf8")) as Record<string, unknown>;

  it("federates only with an explicit allowlist and trusts no key server", () => {
    expect(config["federation_domain_whitelist"]).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(config["trusted_key_servers"]).toEqual([]);
  });

  it("tries a server that was down again within minutes, not Synapse's default ten minutes doubling to a week", () => {
    const federation = config["federation"] as Record<string, unknown>;
    expect(synapseDuration(federation["destination_min_retry_interval"])).toBeLessThanOrEqual(synapseDuration("1m"));
    expect(synapseDuration(federation["destination_max_retry_interval"])).toBeLessThanOrEqual(synapseDuration("10m"));
  });

  it("has no open registration", () => {
    expect(config["enable_registration"]).toBe(false);
    expect(config["enable_registration_without_verification"]).toBe(false);
  });

  it("has no public room directory, locally or over federation", () => {
    expect(config["room_list_publication_rules"]).toEqual([{ action: "deny" }]);
    expect(config["enable_room_list_search"]).toBe(false);
    expect(config["allow_public_rooms_over_federation"]).toBe(false);
    expect(config["allow_public_rooms_without_auth"]).toBe(false);
  });

  it("has presence off, push without content, no link previews, no stats, profiles for logged-in users only", () => {
    expect(config["presence"]).toEqual({ enabled: false });
    expect(config["push"]).toEqual({ include_content: false });
    expect(config["url_preview_enabled"]).toBe(false);
    expect(config["report_stats"]).toBe(false);
    expect(config["require_auth_for_profile_requests"]).toBe(true);
  });

  it("keeps redacted originals for at most a day and client IPs for at most a day", () => {
    expect(synapseDuration(config["redaction_retention_period"])).toBeLessThanOrEqual(synapseDuration("1d"));
    expect(synapseDuration(config["user_ips_max_age"])).toBeLessThanOrEqual(synapseDuration("1d"));
  });

  it("enables retention with a default policy and lifetimes no longer than 90 days", () => {
    const retention = config["retention"] as Record<string, unknown>;
    expect(retention["enabled"]).toBe(true);
    const defaultLifetime = synapseDuration((retention["default_policy"] as { max_lifetime: string }).max_lifetime);
    const min = synapseDuration(retention["allowed_lifetime_min"]);
    const max = synapseDuration(retention["allowed_lifetime_max"]);
    expect(max).toBeLessThanOrEqual(synapseDuration("90d"));
    expect(defaultLifetime).toBeGreaterThanOrEqual(min);
    expect(defaultLifetime).toBeLessThanOrEqual(max);
  });

  it("deletes media by age: local files within the longest lifetime, cached files of other servers within a day", () => {
    const media = config["media_retention"] as Record<string, unknown>;
    const retention = config["retention"] as Record<string, unknown>;
    expect(synapseDuration(media["local_media_lifetime"])).toBeLessThanOrEqual(
      synapseDuration(retention["allowed_lifetime_max"]),
    );
    expect(synapseDuration(media["remote_media_lifetime"])).toBeLessThanOrEqual(synapseDuration("1d"));
  });

  it("has purge jobs covering every allowed lifetime, each running at least twice within the shortest it purges", () => {
    const retention = config["retention"] as { purge_jobs: PurgeJob[]; allowed_lifetime_min: string };
    const jobs = retention.purge_jobs.map((job) => ({
      from: job.shortest_max_lifetime === undefined ? 0 : synapseDuration(job.shortest_max_lifetime),
      to: job.longest_max_lifetime === undefined ? Infinity : synapseDuration(job.longest_max_lifetime),
      interval: synapseDuration(job.interval),
    }));
    expect(jobs[0]?.from).toBe(0);
    expect(jobs.at(-1)?.to).toBe(Infinity);
    for (const [i, job] of jobs.entries()) {
      if (i > 0) expect(job.from, `job ${i} starts where job ${i - 1} ends`).toBe(jobs[i - 1]?.to);
      const shortest = Math.max(job.from, synapseDuration(retention.allowed_lifetime_min));
      expect(job.interval * 2, `job ${i} interval`).toBeLessThanOrEqual(shortest);
    }
  });

  it("is laid over a generated config with this deployment's allowlist, not the file's example names", () => {
    const merged = withHardenedConfig({ server_name: "x", presence: { enabled: true } }, role, ["a.test"]);
    expect(merged["server_name"]).toBe("x");
    expect(merged["presence"]).toEqual({ enabled: false });
    expect(merged["federation_domain_whitelist"]).toEqual(["a.test"]);
  });
});
