// Scenario 4's verdict on one direction of one conversation: which of the messages sent arrived, once each,
// in order, and readable. Pure.

export interface DeliveryCount {
  readonly expected: number;
  /** Distinct expected messages that arrived. */
  readonly delivered: number;
  readonly lost: number;
  /** Arrivals beyond the first of the same message. */
  readonly duplicated: number;
  /** Messages that arrived before one sent ahead of them. */
  readonly outOfOrder: number;
  /** Events in the room the receiving client could not decrypt by the end. */
  readonly undecryptable: number;
}

/**
 * `expected`: the texts in the order they were sent; `received`: every text the receiver saw from that sender,
 * in timeline order (other texts from the same sender, such as notices, are ignored).
 */
export function countDelivery(
  expected: readonly string[],
  received: readonly string[],
  undecryptable: number,
): DeliveryCount {
  const position = new Map(expected.map((text, i) => [text, i]));
  const arrivals = received.filter((text) => position.has(text));
  const firsts = [...new Set(arrivals)].map((text) => position.get(text)!);
  let outOfOrder = 0;
  let highest = -1;
  for (const index of firsts) {
    if (index < highest) outOfOrder++;
    highest = Math.max(highest, index);
  }
  return {
    expected: expected.length,
    delivered: firsts.length,
    lost: expected.length - firsts.length,
    duplicated: arrivals.length - firsts.length,
    outOfOrder,
    undecryptable,
  };
}

/** The sum of several counts. */
export function addDeliveries(counts: readonly DeliveryCount[]): DeliveryCount {
  const sum = (key: keyof DeliveryCount): number => counts.reduce((n, c) => n + c[key], 0);
  return {
    expected: sum("expected"),
    delivered: sum("delivered"),
    lost: sum("lost"),
    duplicated: sum("duplicated"),
    outOfOrder: sum("outOfOrder"),
    undecryptable: sum("undecryptable"),
  };
}

/** Why the run must fail, or undefined when every message arrived once, in order and readable. */
export function deliveryProblem(name: string, count: DeliveryCount): string | undefined {
  const { lost, duplicated, outOfOrder, undecryptable } = count;
  if (lost + duplicated + outOfOrder + undecryptable === 0) return undefined;
  return `${name}: ${lost} lost, ${duplicated} duplicated, ${outOfOrder} out of order, ${undecryptable} undecryptable (of ${count.expected})`;
}
