// The org-side room of a case: where an organisation's responders read the survivor's words and answer.
import type { ICreateRoomOpts } from "matrix-js-sdk";
import { lockedRoomOptions } from "../core/matrix/locked-room.ts";
import type { Locale } from "../core/i18n/locales.ts";
import { translate } from "../core/i18n/translate.ts";

/** A state event in every org-side room naming its case and organisation, so a room made just before a crash
 * (and not yet recorded) is found again instead of made twice. Codes only. */
export const relayStateType = "org.haven.relay";

export interface RelayStateContent {
  case_id: string;
  org_id: string;
}

export interface OrgRoomSpec {
  code: string;
  /** The organisation's staff language, for the room's name. */
  locale: Locale;
  orgId: string;
  retentionMs: number;
}

/**
 * On the hub, made by the bot: encrypted, invite only, history visible to a member only from her join, no
 * guests, messages expiring by `m.room.retention`, a neutral name, and the bot the only one who can invite,
 * kick, ban, redact others or change anything. Responders are invited after creation, one by one, so that one
 * unreachable server does not keep the room from existing.
 */
export function orgRoomOptions(spec: OrgRoomSpec): ICreateRoomOpts {
  const relay: RelayStateContent = { case_id: spec.code, org_id: spec.orgId };
  return lockedRoomOptions({
    name: translate(spec.locale, "staff.room.name", { code: spec.code }),
    retentionMs: spec.retentionMs,
    extraState: [{ type: relayStateType, content: { ...relay } }],
  });
}
