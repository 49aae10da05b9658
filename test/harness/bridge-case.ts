// Cases as the intake bot and the router leave them, for tests of the bridge alone (no router running).
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import { insertCase } from "../../core/db/repositories/cases.ts";
import { appendCaseHistory } from "../../core/db/repositories/case-history.ts";
import { parseOrganisation, type Organisation } from "../../core/organisations/index.ts";
import { newCaseCode } from "../../core/cases/case-code.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { createCaseRoom } from "../../bots/intake/case-room.ts";
import { waitForMembership, type TestClient } from "./clients.ts";

/** A partner organisation open around the clock, its short name the id in capitals (km: "អង្គការ-<id>"). */
export function bridgeOrganisation(
  id: string,
  server: string,
  responders: string[],
  routingMode: "relay" | "direct" = "relay",
  staffLanguage: Locale = "en",
): Organisation {
  const parsed = parseOrganisation({
    id,
    name: { km: `អង្គការ ${id}`, en: `Organisation ${id}` },
    shortName: { km: `អង្គការ-${id}`, en: id.toUpperCase() },
    homeserver: server,
    queueRoomId: null,
    responders,
    categories: ["domestic_violence"],
    provinces: ["nationwide"],
    languages: ["km", "en"],
    alwaysOpen: true,
    capacity: { maxActiveCases: 20, maxActivePerResponder: 20 },
    routingMode,
    staffLanguage,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.organisation;
}

/** A claimed case: her case room made by the bot and joined by her, the case recorded as claimed by `orgId`. */
export async function claimedCase(
  bot: { client: MatrixClient },
  db: Kysely<Database>,
  survivor: TestClient,
  { locale, orgId, claimedBy, retentionMs }: { locale: Locale; orgId: string; claimedBy: string; retentionMs: number },
): Promise<{ code: string; survivorRoomId: string }> {
  const code = newCaseCode(randomBytes);
  const survivorRoomId = await createCaseRoom(bot.client, {
    code,
    locale,
    survivorMxid: survivor.user.userId,
    retentionMs,
  });
  await waitForMembership(survivor.client, survivorRoomId, survivor.user.userId, "invite");
  await survivor.client.joinRoom(survivorRoomId);
  await waitForMembership(survivor.client, survivorRoomId, survivor.user.userId, "join");
  await waitForMembership(bot.client, survivorRoomId, survivor.user.userId, "join");
  const at = Date.now();
  await insertCase(db, {
    id: code,
    state: "claimed",
    survivor_mxid: survivor.user.userId,
    survivor_room_id: survivorRoomId,
    locale,
    category: "domestic_violence",
    province: "phnom_penh",
    service_language: locale,
    urgent: false,
    under18: false,
    consent_summary: false,
    org_id: orgId,
    created_at: at,
    updated_at: at,
    closed_at: null,
  });
  await appendCaseHistory(db, {
    case_id: code,
    at,
    from_state: "offered",
    to_state: "claimed",
    actor: claimedBy,
    org_id: orgId,
    reason: "claimed",
  });
  return { code, survivorRoomId };
}
