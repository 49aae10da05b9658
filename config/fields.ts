import { isIP } from "node:net";
import { z } from "zod";
import { day, minute, parseDuration, type Milliseconds } from "./duration.ts";
import { expectedButFound, show } from "./issues.ts";
import { isMatrixUserId, isServerName, type MatrixUserId } from "./matrix-names.ts";

/*
 * Value types of the config schema, each with the phrase its errors use and a `kind` naming it in the generated
 * reference. Descriptions are added where they are used.
 */

const serverNamePhrase = "a Matrix server name like hub.example.org or hub.example.org:8448";
export const serverName = z
  .string({ error: serverNamePhrase })
  .refine(isServerName, expectedButFound(serverNamePhrase))
  .meta({ kind: "server name" });

const userIdPhrase = "a Matrix user ID like @intake:hub.example.org";
export const matrixUserId = z
  .string({ error: userIdPhrase })
  .refine((text): text is MatrixUserId => isMatrixUserId(text), expectedButFound(userIdPhrase))
  .meta({ kind: "Matrix user ID" });

const httpUrlPhrase = "an http(s) URL";
function isHttpUrl(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}
/** Credentials in a URL would be a secret outside a secret field: refused, without echoing them. */
function hasNoCredentials(text: string): boolean {
  const url = URL.parse(text);
  return url === null || (url.username === "" && url.password === "");
}
export const httpUrl = z
  .string({ error: httpUrlPhrase })
  .refine(isHttpUrl, { ...expectedButFound(httpUrlPhrase), abort: true })
  .refine(hasNoCredentials, {
    error: `expected ${httpUrlPhrase} without credentials, found a URL with a user name or password`,
  })
  .transform((text) => text.replace(/\/+$/, ""))
  .meta({ kind: "http(s) URL" });

const portPhrase = "an integer from 1 to 65535";
export const port = z
  .number({ error: portPhrase })
  .int({ error: portPhrase })
  .min(1, { error: portPhrase })
  .max(65535, { error: portPhrase });

export const nonEmptyString = z.string().min(1);

/** An IP address or an address/prefix range, e.g. "172.18.0.2", "10.0.0.0/8", "::1". */
export function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split("/");
  const version = isIP(address ?? "");
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}
const addressOrRangePhrase = 'an IP address or range like "172.18.0.2" or "10.0.0.0/8"';
export const addressOrRange = z
  .string({ error: addressOrRangePhrase })
  .refine(isAddressOrRange, expectedButFound(addressOrRangePhrase))
  .meta({ kind: "IP address or range" });

const durationPhrase = 'a duration like "30d", "12h", "15m" or "90s"';
function minutesOrSeconds(ms: Milliseconds): string {
  return ms % minute === 0 ? `${ms / minute}m` : `${ms / 1000}s`;
}

/** A duration string within [min, max], parsed to milliseconds. */
export function duration(min: Milliseconds = minute, max: Milliseconds = (365 * day) as Milliseconds) {
  const range = `a duration from ${minutesOrSeconds(min)} to ${max % day === 0 ? `${max / day}d` : minutesOrSeconds(max)}`;
  return z
    .string({ error: durationPhrase })
    .transform((text, ctx): Milliseconds => {
      const ms = parseDuration(text);
      if (ms === undefined || ms < min || ms > max) {
        ctx.addIssue({
          code: "custom",
          message: `expected ${ms === undefined ? durationPhrase : range}, found ${show(text)}`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ kind: "duration" });
}
