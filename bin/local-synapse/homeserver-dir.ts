import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { newSigningKeyFile, synapseConfig, synapseLogConfig } from "./config.ts";
import { withHardenedConfig, type HomeserverRole } from "./hardened.ts";
import { synapseLogFiles } from "./process.ts";
import { selfSignedCertificate, tlsFiles } from "./tls.ts";

export interface LocalHomeserverSettings {
  readonly serverName: string;
  readonly clientPort: number;
  readonly federationPort: number;
}

export interface PrepareHomeserverInput {
  readonly dir: string;
  readonly settings: LocalHomeserverSettings;
  readonly registrationSharedSecret: string;
  readonly federationAllowlist: readonly string[];
  /** Lays the shipped hardened config for this role (config/synapse/<role>.yaml) over the loopback config. */
  readonly hardened?: HomeserverRole;
  /** First lines of homeserver.yaml: who wrote it. */
  readonly header: string;
}

const certificateDays = 3650;

/**
 * Makes a local homeserver's directory complete: media store, signing key and self-signed certificate (kept once
 * made), and homeserver.yaml and log.config, written on every call so that a newer Haven's config applies.
 */
export async function prepareHomeserverDir(input: PrepareHomeserverInput): Promise<void> {
  const { dir, settings } = input;
  await mkdir(join(dir, "media_store"), { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const signingKey = join(dir, "signing.key");
  if (!existsSync(signingKey)) await writeFile(signingKey, newSigningKeyFile(), { mode: 0o600 });
  const tls = existsSync(tlsFiles(dir).key) ? tlsFiles(dir) : await selfSignedCertificate(dir, certificateDays);
  const loopback = synapseConfig({
    serverName: settings.serverName,
    dir,
    clientPort: settings.clientPort,
    federationPort: settings.federationPort,
    tlsCertificatePath: tls.cert,
    tlsPrivateKeyPath: tls.key,
    registrationSharedSecret: input.registrationSharedSecret,
    federationAllowlist: input.federationAllowlist,
  });
  const config =
    input.hardened === undefined ? loopback : withHardenedConfig(loopback, input.hardened, input.federationAllowlist);
  await writeFile(join(dir, "homeserver.yaml"), input.header + stringify(config), { mode: 0o600 });
  await writeFile(join(dir, "log.config"), synapseLogConfig(synapseLogFiles(dir).log));
}
