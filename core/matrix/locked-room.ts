import { EventType, Preset, type ICreateRoomOpts } from "matrix-js-sdk";

/**
 * Room version 12 (MSC4289, MSC4291): the creator holds every power by creating the room and cannot be
 * out-powered or demoted; state resets are fixed (docs/decisions/0007).
 */
export const lockedRoomVersion = "12";

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
];

export interface LockedRoomSpec {
  name: string;
  retentionMs: number;
  invite?: readonly string[];
  /** Further state of the room's own (e.g. which case it belongs to); the bot alone may change it. */
  extraState?: ReadonlyArray<{ type: string; content: Record<string, unknown> }>;
}

/**
 * A room Haven's bot creates and alone controls: encrypted, invite only, history visible to a member only from
 * her join, no guests, messages expiring by `m.room.retention`, and only the bot (its creator) able to invite,
 * kick, ban, redact others or change anything. Used for survivors' case rooms and organisations' case rooms.
 */
export function lockedRoomOptions(spec: LockedRoomSpec): ICreateRoomOpts {
  const extra = spec.extraState ?? [];
  return {
    preset: Preset.PrivateChat,
    room_version: lockedRoomVersion,
    name: spec.name,
    ...(spec.invite !== undefined && { invite: [...spec.invite] }),
    initial_state: [
      { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
      { type: EventType.RoomJoinRules, state_key: "", content: { join_rule: "invite" } },
      { type: EventType.RoomHistoryVisibility, state_key: "", content: { history_visibility: "joined" } },
      { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
      { type: "m.room.retention", state_key: "", content: { max_lifetime: spec.retentionMs } },
      ...extra.map((event) => ({ type: event.type, state_key: "", content: event.content })),
    ],
    power_level_content_override: {
      // The creator may not be listed in room version 12.
      users: {},
      users_default: 0,
      events_default: 0,
      state_default: 100,
      invite: 100,
      kick: 100,
      ban: 100,
      redact: 100,
      notifications: { room: 100 },
      events: Object.fromEntries([...botOnlyStateEvents, ...extra.map((e) => e.type)].map((type) => [type, 100])),
    },
  };
}
