import { describe, expect, it } from "vitest";
import { historySince, purgePoint, type HistoryEvent } from "../../../core/retention/purge-point.ts";

const CUT = 1_000;
const message = (id: string, ts: number): HistoryEvent => ({ id, ts, message: true });
const other = (id: string, ts: number): HistoryEvent => ({ id, ts, message: false });

describe("where a purge of a room's history stops", () => {
  it("at the newest event when every message has expired, so that every message goes", () => {
    const history = [other("$redaction2", 2_000), other("$redaction1", 1_990), message("$b", 500), message("$a", 400)];
    expect(purgePoint(history, CUT)).toBe("$redaction2");
  });

  it("at the oldest message still within its lifetime, keeping it and everything after it", () => {
    const history = [message("$fresh2", 1_500), message("$fresh1", 1_200), other("$state", 900), message("$old", 300)];
    expect(purgePoint(history, CUT)).toBe("$fresh1");
  });

  it("goes by the room's order, not by time: an expired message after a fresh one is not a reason to purge it", () => {
    // A backfilled event can carry any time; what lies before the oldest message to keep is what may go.
    const history = [message("$late-but-old", 200), message("$fresh", 1_500), message("$old", 300)];
    expect(purgePoint(history, CUT)).toBe("$fresh");
    const freshAtTheBottom = [message("$old2", 300), message("$fresh", 1_500)];
    expect(purgePoint(freshAtTheBottom, CUT)).toBeUndefined();
  });

  it("nowhere when nothing expired lies before the point", () => {
    expect(purgePoint([message("$fresh", 1_500), other("$create", 0)], CUT)).toBeUndefined();
    expect(purgePoint([], CUT)).toBeUndefined();
    expect(purgePoint([other("$redaction", 2_000)], CUT)).toBeUndefined();
  });

  it("counts the events sent since the sweep read the room in front of it", () => {
    const sweep = [message("$b", 500), message("$a", 400)];
    const latest = [message("$new", 1_500), other("$redaction-b", 1_100), message("$b", 500)];
    expect(historySince(sweep, latest).map((e) => e.id)).toEqual(["$new", "$redaction-b", "$b", "$a"]);
    expect(purgePoint(historySince(sweep, latest), CUT)).toBe("$new");
  });

  it("uses only the sweep's read when the second read does not reach back to it (unknown events between)", () => {
    const sweep = [message("$b", 500), message("$a", 400)];
    const latest = [message("$n2", 1_500), message("$n1", 1_400)];
    expect(historySince(sweep, latest)).toEqual(sweep);
    expect(purgePoint(historySince(sweep, latest), CUT)).toBe("$b");
    expect(historySince([], latest)).toEqual(latest);
  });
});
