import type { ICreateRoomOpts, MatrixClient } from "matrix-js-sdk";
import { lockedRoomOptions } from "../../core/matrix/locked-room.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";

export interface CaseRoomSpec {
  code: string;
  locale: Locale;
  survivorMxid: string;
  retentionMs: number;
}

export function caseRoomName(locale: Locale, code: string): string {
  return translate(locale, "caseRoom.name", { code });
}

/**
 * The room the survivor's case lives in: encrypted, invite only, history visible to a member only from her
 * join, no guests, the bot the only one who can invite, kick, ban, redact others or change anything, messages
 * expiring by `m.room.retention`, and a name that says nothing about why it exists.
 */
export function caseRoomOptions(spec: CaseRoomSpec): ICreateRoomOpts {
  return lockedRoomOptions({
    name: caseRoomName(spec.locale, spec.code),
    invite: [spec.survivorMxid],
    retentionMs: spec.retentionMs,
  });
}

export async function createCaseRoom(client: MatrixClient, spec: CaseRoomSpec): Promise<string> {
  const { room_id: roomId } = await client.createRoom(caseRoomOptions(spec));
  return roomId;
}
