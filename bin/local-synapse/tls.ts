import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
}

/** The paths selfSignedCertificate writes in `dir`. */
export function tlsFiles(dir: string): TlsFiles {
  return { cert: join(dir, "tls.crt"), key: join(dir, "tls.key") };
}

/**
 * Writes a self-signed certificate for localhost and 127.0.0.1 (tls.crt, tls.key in `dir`) with openssl: what a
 * Synapse federation listener on loopback needs (federation is always TLS; peers skip verification on loopback).
 */
export async function selfSignedCertificate(dir: string, days: number): Promise<TlsFiles> {
  const files = tlsFiles(dir);
  await promisify(execFile)("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    String(days),
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    files.key,
    "-out",
    files.cert,
  ]);
  return files;
}
