import type { NewCase } from "../../../core/db/schema.ts";

export const T0 = 1_767_000_000_000;

let sequence = 0;

/** A unique, valid case code (the real generator lives in core/cases). */
export function caseCode(): string {
  sequence += 1;
  return `T${String(sequence).padStart(3, "0")}-${Math.random().toString(36).slice(2, 4).toUpperCase()}`;
}

export function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    id: caseCode(),
    state: "intake",
    survivor_mxid: "@survivor:hub.test",
    survivor_room_id: "!room:hub.test",
    locale: "km",
    category: "legal",
    province: "phnom-penh",
    urgent: true,
    under18: false,
    consent_summary: true,
    service_language: null,
    org_id: null,
    created_at: T0,
    updated_at: T0,
    closed_at: null,
    ...overrides,
  };
}
