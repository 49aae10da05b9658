// The org-side room of a case: where an organisation's responders read the survivor's words and answer.
import { EventType, Preset, type ICreateRoomOpts } from "matrix-js-sdk";

/** A state event in every org-side room naming its case and organisation, so a room made just before a crash
 * (and not yet recorded) is found again instead of made twice. Codes only. */
export const relayStateType = "org.haven.relay";

export interface RelayStateContent {
  case_id: string;
  org_id: string;
}

/** Room version 12: the bot, as creator, holds every power and cannot be out-powered or demoted. */
export const orgRoomVersion = "12";

/** State only the bot may change; anything not listed falls under state_default, also the bot's. */
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
  relayStateType,
] as const;

export interface OrgRoomSpec {
  code: string;
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
  return {
    preset: Preset.PrivateChat,
    room_version: orgRoomVersion,
    name: `Case ${spec.code}`,
    initial_state: [
      { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
      { type: EventType.RoomJoinRules, state_key: "", content: { join_rule: "invite" } },
      { type: EventType.RoomHistoryVisibility, state_key: "", content: { history_visibility: "joined" } },
      { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
      { type: "m.room.retention", state_key: "", content: { max_lifetime: spec.retentionMs } },
      { type: relayStateType, state_key: "", content: relay },
    ],
    power_level_content_override: {
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
