import type { MatrixClient } from "matrix-js-sdk";
import type { RetentionPolicy } from "../../core/retention/policy.ts";
import { roomRetentionContent } from "../../core/retention/plan.ts";

/** Sets the room's `m.room.retention` to the policy unless it already says so; true when it changed. */
export async function syncRetentionState(
  client: MatrixClient,
  roomId: string,
  policy: RetentionPolicy,
): Promise<boolean> {
  const wanted = roomRetentionContent(policy);
  const current = (await client.getStateEvent(roomId, "m.room.retention", "").catch(() => undefined)) as
    { max_lifetime?: unknown } | undefined;
  if (current?.max_lifetime === wanted.max_lifetime) return false;
  await client.sendStateEvent(roomId, "m.room.retention" as never, wanted as never, "");
  return true;
}
