export * from "./policy.ts";
export * from "./plan.ts";
