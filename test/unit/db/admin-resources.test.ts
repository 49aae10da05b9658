// The repository queries behind the admin API's routing rules, retention overrides and metrics, on every database.
import { describe, expect, it } from "vitest";
import { timesToFirstReply } from "../../../core/db/repositories/case-pages.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { insertRelayRoom, recordRelayedEvent } from "../../../core/db/repositories/relay.ts";
import {
  deleteRetentionOverride,
  getStoredRetentionOverride,
  listCasesUnderOverride,
  listRetentionOverrides,
  recordRetentionAudit,
  retentionActionTotals,
  setRetentionOverride,
} from "../../../core/db/repositories/retention.ts";
import {
  listRoutingRules,
  replaceRoutingRules,
  seedRoutingRules,
} from "../../../core/db/repositories/routing-rules.ts";
import type { RoutingRule } from "../../../core/routing/index.ts";
import { T0, newCase } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const rules: RoutingRule[] = [
  { id: "urgent-first", description: "Urgent cases", match: { urgent: true }, offerTo: ["ngo-a", "ngo-b"] },
  { id: "rest", match: {}, offerTo: "any" },
];

describe.each(ALL_TARGETS)("admin resources on $name", (target) => {
  const databases = freshDatabases(target);

  it("seeds routing rules once, keeps their order, and keeps a list emptied later", async () => {
    const { db } = await databases.open();
    expect(await seedRoutingRules(db, rules, T0)).toBe(true);
    expect(await listRoutingRules(db)).toEqual(rules);
    await replaceRoutingRules(db, [rules[1]!, rules[0]!], T0 + 1);
    expect((await listRoutingRules(db)).map((rule) => rule.id)).toEqual(["rest", "urgent-first"]);
    await replaceRoutingRules(db, [], T0 + 2);
    expect(await seedRoutingRules(db, rules, T0 + 3)).toBe(false);
    expect(await listRoutingRules(db)).toEqual([]);
  });

  it("lists overrides by page, the cases each applies to with their rooms, and deletes one", async () => {
    const { db } = await databases.open();
    await setRetentionOverride(db, "org", "ngo-a", { messageLifetimeMs: 5_000 }, T0);
    await setRetentionOverride(db, "category", "legal_aid", { graceAfterCloseMs: 0 }, T0);
    const first = await listRetentionOverrides(db, 1);
    expect(first.map((row) => [row.scope, row.scopeId])).toEqual([["category", "legal_aid"]]);
    expect(await listRetentionOverrides(db, 5, { scope: "category", scopeId: "legal_aid" })).toEqual([
      { scope: "org", scopeId: "ngo-a", override: { messageLifetimeMs: 5_000 }, updatedAt: T0 },
    ]);
    const held = newCase({ state: "active", org_id: "ngo-a" });
    await insertCase(db, held);
    await insertCase(db, newCase({ state: "active", org_id: "ngo-b" }));
    await insertRelayRoom(db, { case_id: held.id, org_id: "ngo-a", org_room_id: "!org:hub.test", created_at: T0 });
    const cases = await listCasesUnderOverride(db, "org", "ngo-a", 10);
    expect(cases.map((entry) => [entry.case.id, entry.rooms])).toEqual([[held.id, 2]]);
    expect(await deleteRetentionOverride(db, "org", "ngo-a")).toBe(true);
    expect(await getStoredRetentionOverride(db, "org", "ngo-a")).toBeUndefined();
  });

  it("sums retention counts by action and measures the first reply", async () => {
    const { db } = await databases.open();
    for (const purges of [1, 2]) {
      await recordRetentionAudit(db, { at: T0, actor: "w", action: "sweep", case_id: null, counts: { purges } });
    }
    expect(await retentionActionTotals(db)).toEqual(new Map([["sweep", new Map([["purges", 3]])]]));
    const theCase = newCase({ state: "active", org_id: "ngo-a" });
    await insertCase(db, theCase);
    const her = theCase.survivor_room_id!;
    await recordRelayedEvent(db, {
      source_event_id: "$reply",
      source_room_id: "!org:hub.test",
      target_room_id: her,
      target_event_id: "$copy",
      case_id: theCase.id,
      relayed_at: T0 + 45_000,
    });
    expect(await timesToFirstReply(db)).toEqual([45_000]);
  });
});
