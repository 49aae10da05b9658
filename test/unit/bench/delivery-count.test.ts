import { describe, expect, it } from "vitest";
import { addDeliveries, countDelivery, deliveryProblem } from "../../../bench/delivery-count.ts";

describe("counting what one side of a conversation received", () => {
  const sent = ["m0", "m1", "m2", "m3"];

  it("is clean when every message arrived once and in order, whatever else the sender wrote", () => {
    const count = countDelivery(sent, ["hello", "m0", "m1", "m2", "m3"], 0);
    expect(count).toEqual({ expected: 4, delivered: 4, lost: 0, duplicated: 0, outOfOrder: 0, undecryptable: 0 });
    expect(deliveryProblem("relay", count)).toBeUndefined();
  });

  it("counts lost, duplicated, out of order and undecryptable messages", () => {
    const count = countDelivery(sent, ["m0", "m2", "m1", "m2"], 1);
    expect(count).toEqual({ expected: 4, delivered: 3, lost: 1, duplicated: 1, outOfOrder: 1, undecryptable: 1 });
    expect(deliveryProblem("relay", count)).toBe("relay: 1 lost, 1 duplicated, 1 out of order, 1 undecryptable (of 4)");
  });

  it("adds counts of many conversations", () => {
    const one = countDelivery(sent, ["m0"], 0);
    expect(addDeliveries([one, one])).toMatchObject({ expected: 8, delivered: 2, lost: 6 });
  });
});
