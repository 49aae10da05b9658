// Every migration, in the order it runs. Append only: never edit, reorder or remove an entry.
// SQLite notes: `PRAGMA foreign_keys` cannot change inside the upgrade transaction, so a migration
// that rebuilds a referenced table must keep every foreign key valid at each step.
import * as initial from "./0001-initial.ts";
import * as directory from "./0002-directory.ts";
import * as intakeConversations from "./0003-intake-conversations.ts";
import * as organisations from "./0004-organisations.ts";
import * as offersAndAlerts from "./0005-offers-and-alerts.ts";
import * as relay from "./0006-relay.ts";
import * as relayLifecycle from "./0007-relay-lifecycle.ts";
import * as admin from "./0008-admin.ts";
import * as retention from "./0009-retention.ts";
import * as webchatAccounts from "./0010-webchat-accounts.ts";
import * as routingRules from "./0011-routing-rules.ts";
import * as earlierConversation from "./0012-earlier-conversation.ts";
import * as caseMedia from "./0013-case-media.ts";
import * as purgeUpToEvent from "./0014-purge-up-to-event.ts";
import type { HavenMigration } from "./types.ts";

export type { HavenMigration, MigrationDialect } from "./types.ts";

export const MIGRATIONS: readonly HavenMigration[] = [
  { name: "0001-initial", up: initial.up },
  { name: "0002-directory", up: directory.up },
  { name: "0003-intake-conversations", up: intakeConversations.up },
  { name: "0004-organisations", up: organisations.up },
  { name: "0005-offers-and-alerts", up: offersAndAlerts.up },
  { name: "0006-relay", up: relay.up },
  { name: "0007-relay-lifecycle", up: relayLifecycle.up },
  { name: "0008-admin", up: admin.up },
  { name: "0009-retention", up: retention.up },
  { name: "0010-webchat-accounts", up: webchatAccounts.up },
  { name: "0011-routing-rules", up: routingRules.up },
  { name: "0012-earlier-conversation", up: earlierConversation.up },
  { name: "0013-case-media", up: caseMedia.up },
  { name: "0014-purge-up-to-event", up: purgeUpToEvent.up },
];
