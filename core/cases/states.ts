/** Where a case is in its life. `erased` is terminal: quick exit or a right-to-erasure request. */
export const caseStates = ["intake", "waiting", "offered", "claimed", "active", "closed", "erased"] as const;
export type CaseState = (typeof caseStates)[number];

export const openCaseStates: readonly CaseState[] = ["intake", "waiting", "offered", "claimed", "active"];

/**
 * Every legal move, declared as data. `offered → offered` is an escalation to the next organisation;
 * `claimed|active → waiting` a release; `claimed|active → offered` a transfer; `closed → waiting` a reopening.
 */
export const caseTransitions: Readonly<Record<CaseState, readonly CaseState[]>> = {
  intake: ["waiting", "closed", "erased"],
  waiting: ["offered", "closed", "erased"],
  offered: ["offered", "claimed", "waiting", "closed", "erased"],
  claimed: ["active", "waiting", "offered", "closed", "erased"],
  active: ["waiting", "offered", "closed", "erased"],
  closed: ["waiting", "erased"],
  erased: [],
};

export function isOpen(state: CaseState): boolean {
  return openCaseStates.includes(state);
}
