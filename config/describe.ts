import { z } from "zod";
import { envOverrides } from "./env-overrides.ts";
import { defaultDataDir, projectRoot } from "./project-root.ts";
import { havenConfigSchema } from "./schema.ts";

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** One documented key of the config: a leaf of the schema, or a section (a mapping of keys). */
export interface ConfigKey {
  /** Dotted path, e.g. "hub.clientUrl". */
  readonly path: string;
  readonly section: boolean;
  readonly description: string;
  readonly type: string;
  readonly required: boolean;
  readonly secret: boolean;
  readonly default?: unknown;
  /** The environment variable that overrides it. */
  readonly env?: string;
}

function jsonSchemaOfConfig(): JsonSchema {
  // The schema is only described here, never run: its secret sources are never read.
  const schema = havenConfigSchema({ env: {}, baseDir: projectRoot, readFile: () => "", defaultDataDir });
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}

function asSchema(node: unknown): JsonSchema {
  return typeof node === "object" && node !== null ? (node as JsonSchema) : {};
}

function typeOf(node: JsonSchema): string {
  if (node["secret"] === true) return "secret";
  if (typeof node["kind"] === "string") return node["kind"];
  if (node.enum !== undefined) return node.enum.map(String).join(" / ");
  if (node.type === "array") return `list of ${typeOf(asSchema(node.items))}`;
  if (node.type === "integer" && node.minimum !== undefined && node.maximum !== undefined) {
    return `integer ${node.minimum}..${node.maximum}`;
  }
  return typeof node.type === "string" ? node.type : "any";
}

function collect(node: JsonSchema, prefix: string, parentRequired: boolean, into: ConfigKey[]): void {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const schema = asSchema(child);
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const section = schema.type === "object" && schema.properties !== undefined;
    const isRequired = parentRequired && required.has(key);
    into.push({
      path,
      section,
      description: schema.description ?? "",
      type: section ? "mapping" : typeOf(schema),
      required: isRequired,
      secret: schema["secret"] === true,
      ...(schema.default === undefined || section ? {} : { default: schema.default }),
      ...envFor(path),
    });
    if (section) collect(schema, path, isRequired, into);
  }
}

function envFor(path: string): { env?: string } {
  const override = envOverrides.find((candidate) => candidate.path.join(".") === path);
  return override === undefined ? {} : { env: override.env };
}

/** Every key of the config, sections before their keys, in schema order. */
export function configKeys(): ConfigKey[] {
  const keys: ConfigKey[] = [];
  collect(jsonSchemaOfConfig(), "", true, keys);
  return keys;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function cells(key: ConfigKey): string[] {
  return [
    `\`${key.path}\``,
    cell(key.type),
    key.required ? "yes" : "no",
    key.default === undefined ? "" : `\`${JSON.stringify(key.default)}\``,
    key.env === undefined ? "" : `\`${key.env}\``,
    cell(key.description),
  ];
}

/** A Markdown table with aligned columns, as Prettier writes it (so the generated file passes `prettier --check`). */
function table(rows: readonly string[][]): string[] {
  const header = ["key", "type", "required", "default", "environment", "description"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (row: readonly string[]) => `| ${widths.map((width, i) => (row[i] ?? "").padEnd(width)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
}

const introduction = `# Configuration reference

<!-- Generated from config/schema.ts by \`node bin/haven.ts describe-config > docs/configuration.md\`. Do not edit. -->

Haven reads one YAML file: \`$HAVEN_CONFIG\`, default \`config/haven.yaml\` in the project root; see
\`config/haven.example.yaml\`. Check a config with \`node bin/haven.ts check-config\`.

- Keys are camelCase; an unknown key is an error, and a key left empty (or \`~\`) counts as not given.
- A **secret** is never written in the file: give it as \`{ file: <path> }\` (read, surrounding whitespace trimmed)
  or \`{ env: <VAR> }\` (an UPPER_SNAKE_CASE environment variable). A literal string is refused.
- The environment variables in the _environment_ column override the file; an empty variable counts as unset.
- Relative paths in the file are resolved against the file's directory, except \`sqlite:\` database paths, which are
  under \`dataDir\`; \`HAVEN_DATA_DIR\` is resolved against the working directory.
`;

/** The Markdown key reference (docs/configuration.md), generated from the schema's descriptions. */
export function configReference(): string {
  const keys = configKeys();
  const topLevel = keys.filter((key) => !key.path.includes(".") && !key.section);
  const parts = [introduction, "## Top level", "", ...table(topLevel.map(cells)), ""];
  for (const section of keys.filter((key) => key.section && !key.path.includes("."))) {
    const members = keys.filter((key) => key.path.startsWith(`${section.path}.`));
    parts.push(`## \`${section.path}\``, "", section.description, "", ...table(members.map(cells)), "");
  }
  return parts.join("\n");
}
