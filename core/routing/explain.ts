// A routing decision as text, for a coordinator who asks "why did this case go there?".
import type { RoutingDecision } from "./types.ts";

/**
 * One line for the deciding rule, one per candidate in rank order, one per excluded organisation:
 *
 *     rule: workplace-harassment
 *     fallback used: no other organisation can take this case
 *     1. sample-hotline: fallback organisation: …; open 24/7; …
 *     excluded sample-garment-workers: closed now (opens Wed 17:00)
 */
export function explainDecision(decision: RoutingDecision): string {
  const lines = [decision.ruleId === undefined ? "rule: none matched" : `rule: ${decision.ruleId}`];
  if (decision.fallbackUsed) lines.push("fallback used: no other organisation can take this case");
  for (const candidate of decision.candidates) {
    lines.push(`${candidate.rank}. ${candidate.orgId}: ${candidate.reasons.map((reason) => reason.text).join("; ")}`);
  }
  for (const exclusion of decision.excluded) {
    lines.push(`excluded ${exclusion.orgId}: ${exclusion.reasons.map((reason) => reason.text).join("; ")}`);
  }
  return lines.join("\n");
}
