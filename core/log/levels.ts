/** The log levels Haven accepts, most to least severe (pino's names). */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
