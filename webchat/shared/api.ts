// The contract between the web app and the Haven process serving it: paths and bodies, nothing else.

export const API = {
  config: "/config.json",
  accounts: "/api/accounts",
  sessions: "/api/sessions",
  erase: "/api/erase",
} as const;

/** What the page needs to know at start; no secrets. */
export interface WebchatRuntimeConfig {
  intakeUserId: string;
  exitUrl: string;
}

/**
 * Both account and session requests carry only `lookup`: 64 hex digits the browser derives from her return code
 * with a slow KDF. The code itself never leaves the browser.
 */
export interface LookupRequest {
  lookup: string;
}

export interface NewAccountResponse {
  userId: string;
  /** Valid until the browser replaces it with the password derived from her code, a few seconds later. */
  temporaryPassword: string;
}

export interface SessionResponse {
  userId: string;
}

/** Every refusal has this body; a wrong code and an unknown one get the same. */
export interface ApiRefusal {
  error: "too-many" | "unknown-code" | "code-taken" | "forbidden-origin" | "bad-request" | "unavailable";
}

export const LOOKUP_FORMAT = /^[0-9a-f]{64}$/;
