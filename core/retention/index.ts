export * from "./policy.ts";
export * from "./plan.ts";
export * from "./purge-point.ts";
