/**
 * How an error is logged: its kind, message, Matrix error code, HTTP status and stack — nothing else.
 * matrix-js-sdk errors carry the event they were about (decrypted content included) and request bodies;
 * serialising them whole would write a survivor's words into the log.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const withCodes = error as Error & { errcode?: unknown; httpStatus?: unknown };
  return {
    type: error.name,
    message: error.message.slice(0, 500),
    ...(typeof withCodes.errcode === "string" && { errcode: withCodes.errcode }),
    ...(typeof withCodes.httpStatus === "number" && { httpStatus: withCodes.httpStatus }),
    ...(error.stack !== undefined && { stack: error.stack.split("\n").slice(0, 8).join("\n") }),
  };
}
