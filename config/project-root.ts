import { join, resolve } from "node:path";

/** The repository's root directory (the parent of config/). */
export const projectRoot = resolve(import.meta.dirname, "..");

/** Where Haven keeps its state when neither the config nor HAVEN_DATA_DIR says otherwise. */
export const defaultDataDir = join(projectRoot, ".haven");

/** The config file read when neither the caller nor HAVEN_CONFIG names one. */
export const defaultConfigPath = join(projectRoot, "config", "haven.yaml");
