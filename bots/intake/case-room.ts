import { EventType, Preset, type ICreateRoomOpts, type MatrixClient } from "matrix-js-sdk";
import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";

export interface CaseRoomSpec {
  code: string;
  locale: Locale;
  survivorMxid: string;
  botMxid: string;
  retentionMs: number;
}

/** State events only the bot may change. Anything not listed falls under state_default, also the bot's. */
const botOnlyStateEvents = [
  "m.room.name",
  "m.room.topic",
  "m.room.avatar",
  "m.room.power_levels",
  "m.room.history_visibility",
  "m.room.join_rules",
  "m.room.guest_access",
  "m.room.encryption",
  "m.room.retention",
  "m.room.tombstone",
  "m.room.server_acl",
  "m.room.canonical_alias",
  "m.room.pinned_events",
] as const;

/**
 * Room version 12 (MSC4289, MSC4291): creators cannot be demoted or out-powered and state resets are fixed,
 * so no one, not even a server admin adding a user with power, can take the room from the bot.
 */
export const caseRoomVersion = "12";

export function caseRoomName(locale: Locale, code: string): string {
  return translate(locale, "caseRoom.name", { code });
}

/**
 * The room the survivor's case lives in: encrypted, invite only, history visible to a member only from her
 * join, no guests, the bot the only one who can invite, kick, ban, redact others or change anything, messages
 * expiring by `m.room.retention`, and a name that says nothing about why it exists.
 */
export function caseRoomOptions(spec: CaseRoomSpec): ICreateRoomOpts {
  return {
    preset: Preset.PrivateChat,
    room_version: caseRoomVersion,
    name: caseRoomName(spec.locale, spec.code),
    invite: [spec.survivorMxid],
    initial_state: [
      { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
      { type: EventType.RoomJoinRules, state_key: "", content: { join_rule: "invite" } },
      { type: EventType.RoomHistoryVisibility, state_key: "", content: { history_visibility: "joined" } },
      { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
      { type: "m.room.retention", state_key: "", content: { max_lifetime: spec.retentionMs } },
    ],
    power_level_content_override: {
      // Room version 12: the creator (the bot) holds every power by creating the room and may not be listed.
      users: {},
      users_default: 0,
      events_default: 0,
      state_default: 100,
      invite: 100,
      kick: 100,
      ban: 100,
      redact: 100,
      notifications: { room: 100 },
      events: Object.fromEntries(botOnlyStateEvents.map((type) => [type, 100])),
    },
  };
}

export async function createCaseRoom(client: MatrixClient, spec: CaseRoomSpec): Promise<string> {
  const { room_id: roomId } = await client.createRoom(caseRoomOptions(spec));
  return roomId;
}
