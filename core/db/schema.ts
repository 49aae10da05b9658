// Haven's database as Kysely sees it. Metadata only: no message bodies, no media, ever.
// Times are integer epoch milliseconds (bigint in PostgreSQL, parsed to number by open.ts).
// Booleans come back as real booleans in both dialects (SQLite stores 0/1; see sqlite-booleans.ts).
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export const CASE_STATES = ["intake", "waiting", "offered", "claimed", "active", "closed", "erased"] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which a case still needs someone: everything before `closed`. */
export const OPEN_CASE_STATES: readonly CaseState[] = ["intake", "waiting", "offered", "claimed", "active"];

export interface CasesTable {
  /** The case code shown to people, e.g. `K7Q2-M4`; never derived from identity. */
  id: string;
  state: CaseState;
  /** The survivor's Matrix ID; set to null when the case is anonymised. */
  survivor_mxid: string | null;
  survivor_room_id: string | null;
  locale: string;
  category: string | null;
  province: string | null;
  urgent: boolean;
  under18: boolean;
  consent_summary: boolean;
  /** The language she wants her helper to speak: km, en or either; null when she skipped the question. */
  service_language: string | null;
  /** The organisation accountable for the case right now. */
  org_id: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

/** Append-only record of every change of state and custody. */
export interface CaseHistoryTable {
  id: Generated<number>;
  case_id: string;
  at: number;
  /** Null for the entry that records the case's creation. */
  from_state: CaseState | null;
  to_state: CaseState;
  actor: string;
  org_id: string | null;
  reason: string | null;
}

/** Where a bot last got to in a room's timeline, so that it resumes there after a crash. */
export interface RoomCheckpointsTable {
  bot_user_id: string;
  room_id: string;
  last_event_id: string;
  last_origin_ts: number;
  updated_at: number;
}

/** Events a bot has already handled, so that a redelivered event is not handled twice. */
export interface ProcessedEventsTable {
  bot_user_id: string;
  event_id: string;
  room_id: string;
  processed_at: number;
}

/**
 * The service directory: public information about partner services, not survivor data. `data` is JSON text
 * holding the rest of a core/directory `Service` (localised name, description and address, categories,
 * provinces, languages, hours); core/db/repositories/services.ts writes and validates it.
 */
export interface DirectoryServicesTable {
  id: string;
  organisation_id: string;
  data: string;
  phone: string;
  /** Shown first to a survivor in danger now. */
  emergency: boolean;
  updated_at: number;
}

export interface Database {
  cases: CasesTable;
  case_history: CaseHistoryTable;
  room_checkpoints: RoomCheckpointsTable;
  processed_events: ProcessedEventsTable;
  directory_services: DirectoryServicesTable;
  intake_conversations: IntakeConversationsTable;
}

/** Where a survivor is in her conversation with the intake bot. Enums only, never her words. */
export interface IntakeConversationsTable {
  survivor_mxid: string;
  room_id: string;
  locale: string | null;
  /** The dialogue step as JSON: step name and the triage answers chosen so far (enums). */
  step: string;
  updated_at: number;
}

export type IntakeConversation = Selectable<IntakeConversationsTable>;
export type NewIntakeConversation = Insertable<IntakeConversationsTable>;

/**
 * Every boolean column, by name. SQLite has no boolean type, so sqlite-booleans.ts turns 0/1 in results
 * back into booleans for these names. A new boolean column must be added here (a test checks it).
 */
export const BOOLEAN_COLUMNS: ReadonlySet<string> = new Set(["urgent", "under18", "consent_summary", "emergency"]);

export type Case = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;

export type CaseHistoryEntry = Selectable<CaseHistoryTable>;
export type NewCaseHistoryEntry = Insertable<CaseHistoryTable>;

export type RoomCheckpoint = Selectable<RoomCheckpointsTable>;
export type NewRoomCheckpoint = Insertable<RoomCheckpointsTable>;
export type RoomCheckpointUpdate = Updateable<RoomCheckpointsTable>;

export type ProcessedEvent = Selectable<ProcessedEventsTable>;
export type NewProcessedEvent = Insertable<ProcessedEventsTable>;

export type DirectoryServiceRow = Selectable<DirectoryServicesTable>;
export type NewDirectoryServiceRow = Insertable<DirectoryServicesTable>;

export const OFFER_STATUSES = ["pending", "open", "claimed", "withdrawn", "expired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** A case put before one organisation's queue room, with the deadline that drives escalation. */
export interface OffersTable {
  id: Generated<number>;
  case_id: string;
  org_id: string;
  /** The organisation's queue room the offer is (to be) posted in. */
  room_id: string;
  /** The posted offer message; null while pending (e.g. the organisation's server is down). */
  event_id: string | null;
  status: OfferStatus;
  /** The routing rule that chose this organisation, for the custody record. */
  rule_id: string | null;
  offered_at: number;
  deadline_at: number;
  settled_at: number | null;
  claimed_by: string | null;
}

/** Something the review team must see: an escalation, a fallback, an unanswered survivor, a lost capability. */
export interface AlertsTable {
  id: Generated<number>;
  kind: string;
  case_id: string | null;
  org_id: string | null;
  at: number;
  event_id: string | null;
  acked_by: string | null;
  acked_at: number | null;
}

// Declaration merging adds these tables to Database.
export interface Database {
  offers: OffersTable;
  alerts: AlertsTable;
}

export type Offer = Selectable<OffersTable>;
export type NewOffer = Insertable<OffersTable>;
export type Alert = Selectable<AlertsTable>;
export type NewAlert = Insertable<AlertsTable>;

/**
 * Partner organisations. `data` is JSON text holding the rest of a core/organisations `Organisation` (names,
 * homeserver, responders, categories, provinces, languages, hours, capacity, SLAs, routing mode);
 * core/db/repositories/organisations.ts writes and validates it. Null `queue_room_id`: not linked yet.
 */
export interface OrganisationsTable {
  id: string;
  data: string;
  queue_room_id: string | null;
  updated_at: number;
}

/** Small values the router keeps between cases, by key (e.g. the round-robin cursor). */
export interface RoutingStateTable {
  key: string;
  value: string;
  updated_at: number;
}

// Declaration merging adds these tables to Database.
export interface Database {
  organisations: OrganisationsTable;
  routing_state: RoutingStateTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisationRow = Insertable<OrganisationsTable>;
export type RoutingStateRow = Selectable<RoutingStateTable>;

/** The org-side room the bridge relays a case into, one per case and organisation that held it. */
export interface RelayRoomsTable {
  case_id: string;
  org_id: string;
  /** On the hub, created by the bot; its members are the organisation's responders, never the survivor. */
  org_room_id: string;
  created_at: number;
  /** When the room was closed to the organisation's responders (the case left them); null while in use. */
  retired_at: number | null;
}

/** A case whose relay stopped because someone unexpected appeared in one of its rooms (the membership guard). */
export interface RelayHaltsTable {
  case_id: string;
  room_id: string;
  /** What appeared, as a code: `unexpected-member`. Never a name. */
  reason: string;
  at: number;
}

/** One relayed event: where it came from and where its copy went. Metadata only, never the body. */
export interface RelayEventsTable {
  source_event_id: string;
  source_room_id: string;
  target_room_id: string;
  target_event_id: string;
  case_id: string;
  relayed_at: number;
}

// Declaration merging adds these tables to Database.
export interface Database {
  relay_rooms: RelayRoomsTable;
  relay_events: RelayEventsTable;
  relay_halts: RelayHaltsTable;
  direct_rooms: DirectRoomsTable;
}

/** Direct mode: an organisation whose responders were invited into her case room itself. */
export interface DirectRoomsTable {
  case_id: string;
  org_id: string;
  invited_at: number;
  /** When its responders were removed again (the case left the organisation); null while they belong. */
  removed_at: number | null;
}
export type DirectRoom = Selectable<DirectRoomsTable>;

export type RelayRoom = Selectable<RelayRoomsTable>;
export type NewRelayRoom = Insertable<RelayRoomsTable>;
export type RelayEvent = Selectable<RelayEventsTable>;
export type NewRelayEvent = Insertable<RelayEventsTable>;
export type RelayHalt = Selectable<RelayHaltsTable>;

export const RETENTION_SCOPES = ["category", "org"] as const;
export type RetentionScope = (typeof RETENTION_SCOPES)[number];

/** A category's or organisation's retention override: only the lifetimes it shortens; null = the hub's. */
export interface RetentionOverridesTable {
  scope: RetentionScope;
  scope_id: string;
  message_lifetime_ms: number | null;
  grace_after_close_ms: number | null;
  media_lifetime_ms: number | null;
  metadata_lifetime_ms: number | null;
  updated_at: number;
}

/** What retention has done to a case: its rooms deleted on the hub, its metadata anonymised. */
export interface CaseRetentionTable {
  case_id: string;
  rooms_deleted_at: number | null;
  anonymised_at: number | null;
}

export const RETENTION_JOB_KINDS = ["purge-history", "delete-room"] as const;
export type RetentionJobKind = (typeof RETENTION_JOB_KINDS)[number];
export const RETENTION_JOB_STATUSES = ["pending", "running", "done", "failed"] as const;
export type RetentionJobStatus = (typeof RETENTION_JOB_STATUSES)[number];

/**
 * A purge or room deletion asked of the hub Synapse. Recorded before the request and updated with Synapse's job
 * id after it, so that a worker that crashes mid-job polls the same job on its next run instead of starting again.
 */
export interface RetentionJobsTable {
  id: Generated<number>;
  kind: RetentionJobKind;
  room_id: string;
  case_id: string | null;
  /** purge-history: the time the messages purged had expired by (what later sweeps compare with). */
  up_to_ts: number | null;
  /** purge-history: the event the purge stops before, in the room's order (kept itself); null: by `up_to_ts`. */
  up_to_event_id: string | null;
  synapse_id: string | null;
  status: RetentionJobStatus;
  created_at: number;
  updated_at: number;
}

/** What retention and erasure did, for the audit: who, what, which case, and counts (JSON of numbers only). */
export interface RetentionAuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  case_id: string | null;
  counts: string;
}

// Declaration merging adds these tables to Database.
export interface Database {
  retention_overrides: RetentionOverridesTable;
  case_retention: CaseRetentionTable;
  retention_jobs: RetentionJobsTable;
  retention_audit: RetentionAuditTable;
}

/**
 * A media file of a case in the hub's media repository: her upload there, or the bridge's cleaned copy. Retention
 * deletes it (Synapse's admin media API) when the policy's media lifetime ends or the case's rooms go.
 */
export interface CaseMediaTable {
  server_name: string;
  media_id: string;
  case_id: string;
  uploaded_at: number;
}

/** An offer the router redacted in the organisation's queue room once the message lifetime had run. */
export interface OfferRedactionsTable {
  offer_id: number;
  redacted_at: number;
}

export interface Database {
  case_media: CaseMediaTable;
  offer_redactions: OfferRedactionsTable;
}

export type CaseMedia = Selectable<CaseMediaTable>;

export type RetentionOverrideRow = Selectable<RetentionOverridesTable>;
export type RetentionJob = Selectable<RetentionJobsTable>;
export type RetentionAuditEntry = Selectable<RetentionAuditTable>;
/**
 * The web chat's anonymous accounts. `code_hash` is a slow, peppered hash of what her browser derives from her
 * return code (never the code itself); it finds her account when she comes back.
 */
export interface WebchatAccountsTable {
  code_hash: string;
  user_id: string;
  created_at: number;
}
export type WebchatAccount = Selectable<WebchatAccountsTable>;
export type NewWebchatAccount = Insertable<WebchatAccountsTable>;

export interface Database {
  webchat_accounts: WebchatAccountsTable;
}

export const ADMIN_ROLES = ["superadmin", "coordinator", "org_admin", "monitor"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** An admin API token. The token itself is shown once and never stored: only its SHA-256. */
export interface ApiTokensTable {
  /** Public handle for listing and revoking; not a credential. */
  id: string;
  token_hash: string;
  /** Who it speaks for: a Matrix ID after Sign in with Matrix, or a name the issuer chose. */
  subject: string;
  role: AdminRole;
  /** The organisation an org_admin acts for; null for hub-wide roles. */
  org_id: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Who may sign in with Matrix, and as what. */
export interface AdminUsersTable {
  user_id: string;
  role: AdminRole;
  org_id: string | null;
  updated_at: number;
}

/** OpenID tokens already exchanged for a session (SHA-256), so a replayed one is refused. */
export interface OpenidTokensUsedTable {
  token_hash: string;
  used_at: number;
}

/** One audit record per mutation and per denied request. `hash` chains it to the record before it. */
export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  result: string;
  request_id: string;
  prev_hash: string;
  hash: string;
}

// Declaration merging adds these tables to Database.
export interface Database {
  api_tokens: ApiTokensTable;
  admin_users: AdminUsersTable;
  openid_tokens_used: OpenidTokensUsedTable;
  audit_log: AuditLogTable;
}

export type ApiToken = Selectable<ApiTokensTable>;
export type AdminUser = Selectable<AdminUsersTable>;
export type AuditRecord = Selectable<AuditLogTable>;

/**
 * The coordinators' routing rules, in order (`position`, first match decides). `data` is JSON text of the rest of
 * a core/routing `RoutingRule` (description, match, offerTo); core/db/repositories/routing-rules.ts checks it.
 */
export interface RoutingRulesTable {
  id: string;
  position: number;
  data: string;
  updated_at: number;
}

// Declaration merging adds this table to Database.
export interface Database {
  routing_rules: RoutingRulesTable;
}

export const EARLIER_CONVERSATION_ANSWERS = ["yes", "no"] as const;
export type EarlierConversationAnswer = (typeof EARLIER_CONVERSATION_ANSWERS)[number];

/**
 * On a transfer, her answer to "may the new organisation read our earlier conversation?". One row per transfer
 * (`transfer_id` is its case-history entry). The text is read from the Matrix rooms when passed on, never kept here.
 */
export interface EarlierConversationConsentsTable {
  case_id: string;
  transfer_id: number;
  /** The organisation she was asked about; only that organisation, once it holds the case, gets the text. */
  to_org_id: string;
  asked_at: number;
  /** Null until she answers. */
  answer: EarlierConversationAnswer | null;
  answered_at: number | null;
  /** When the earlier text was posted in the new organisation's room; null until then. */
  passed_at: number | null;
}
export type EarlierConversationConsent = Selectable<EarlierConversationConsentsTable>;

export interface Database {
  earlier_conversation_consents: EarlierConversationConsentsTable;
}
