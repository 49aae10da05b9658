import { generateKeyPairSync } from "node:crypto";

export interface SynapseConfigInput {
  serverName: string;
  dir: string;
  clientPort: number;
  federationPort: number;
  tlsCertificatePath: string;
  tlsPrivateKeyPath: string;
  registrationSharedSecret: string;
  federationAllowlist: readonly string[];
  retention?: { defaultMaxLifetime?: string; purgeInterval: string };
}

/** Synapse's signing key file format: `ed25519 <key id> <unpadded base64 seed>`. */
export function newSigningKeyFile(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.d === undefined) throw new Error("ed25519 key export gave no seed");
  const seed = Buffer.from(jwk.d, "base64url").toString("base64").replace(/=+$/, "");
  return `ed25519 a_haven ${seed}\n`;
}

const generousRateLimit = { per_second: 1000, burst_count: 1000 };

/**
 * A homeserver on loopback, for tests and for `haven dev`: plain-HTTP client listener, TLS federation listener,
 * allowlisted federation, retention on, generous rate limits, cheap password hashing, dehydrated devices (MSC3814) on.
 * Not a production config: the deployment's Synapse config lives with docker-compose.
 */
export function synapseConfig(input: SynapseConfigInput): Record<string, unknown> {
  const { dir } = input;
  return {
    server_name: input.serverName,
    public_baseurl: `http://127.0.0.1:${input.clientPort}/`,
    pid_file: `${dir}/homeserver.pid`,
    listeners: [
      {
        port: input.clientPort,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: false,
        x_forwarded: false,
        resources: [{ names: ["client"], compress: false }],
      },
      {
        port: input.federationPort,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: true,
        resources: [{ names: ["federation"], compress: false }],
      },
    ],
    tls_certificate_path: input.tlsCertificatePath,
    tls_private_key_path: input.tlsPrivateKeyPath,
    federation_verify_certificates: false,
    federation_domain_whitelist: [...input.federationAllowlist],
    ip_range_whitelist: ["127.0.0.0/8", "::1/128"],
    // Retry a partner that was down within seconds, not Synapse's default ten minutes.
    federation: {
      destination_min_retry_interval: "1s",
      destination_retry_multiplier: 1.5,
      destination_max_retry_interval: "5s",
    },
    database: { name: "sqlite3", args: { database: `${dir}/homeserver.db` } },
    log_config: `${dir}/log.config`,
    media_store_path: `${dir}/media_store`,
    signing_key_path: `${dir}/signing.key`,
    registration_shared_secret: input.registrationSharedSecret,
    enable_registration: false,
    report_stats: false,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    bcrypt_rounds: 4,
    presence: { enabled: false },
    url_preview_enabled: false,
    push: { include_content: false },
    redaction_retention_period: "1m",
    user_ips_max_age: "1d",
    allow_public_rooms_over_federation: false,
    allow_public_rooms_without_auth: false,
    retention: {
      enabled: true,
      ...(input.retention?.defaultMaxLifetime
        ? { default_policy: { max_lifetime: input.retention.defaultMaxLifetime } }
        : {}),
      allowed_lifetime_min: "1s",
      allowed_lifetime_max: "1y",
      purge_jobs: [{ interval: input.retention?.purgeInterval ?? "1m" }],
    },
    experimental_features: { msc3814_enabled: true },
    rc_message: generousRateLimit,
    rc_registration: generousRateLimit,
    rc_login: { address: generousRateLimit, account: generousRateLimit, failed_attempts: generousRateLimit },
    rc_admin_redaction: generousRateLimit,
    rc_joins: { local: generousRateLimit, remote: generousRateLimit },
    rc_joins_per_room: generousRateLimit,
    rc_invites: { per_room: generousRateLimit, per_user: generousRateLimit, per_issuer: generousRateLimit },
    rc_key_requests: generousRateLimit,
    rc_room_creation: generousRateLimit,
    rc_federation: { window_size: 1000, sleep_limit: 1000, sleep_delay: 1, reject_limit: 1000, concurrent: 100 },
    rc_delayed_event_mgmt: generousRateLimit,
  };
}

export function synapseLogConfig(logFile: string): string {
  return `version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: ${JSON.stringify(logFile)}
loggers:
  synapse.storage.SQL:
    level: WARNING
root:
  level: INFO
  handlers: [file]
disable_existing_loggers: false
`;
}
