// Opaque pagination cursors: base64url JSON of where the last page ended, checked when read back.
import { z } from "@hono/zod-openapi";

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position in `cursor`, or undefined when it is not one this API issued in that shape. */
export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T | undefined {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Items per page, 1 to 200." }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "The `nextCursor` of the previous page; omit for the first." }),
};
