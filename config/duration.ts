/** A duration in milliseconds: the unit lives in the type so it cannot be mistaken for seconds. */
export type Milliseconds = number & { readonly __unit: "ms" };

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const durationPattern = /^(\d{1,9})(s|m|h|d)$/;

/** "90s", "15m", "12h", "30d" → milliseconds; anything else → undefined. */
export function parseDuration(text: string): Milliseconds | undefined {
  const match = durationPattern.exec(text);
  if (match === null) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined) return undefined;
  return (Number(amount) * unitMs[unit as keyof typeof unitMs]) as Milliseconds;
}

export const minute = 60_000 as Milliseconds;
export const day = 86_400_000 as Milliseconds;
