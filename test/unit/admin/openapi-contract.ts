// Checks a response against the OpenAPI document the app serves: the status is documented for that operation,
// the content type is one it lists, and the body validates against its schema (JSON Schema 2020-12).
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const DOC_ID = "https://haven.invalid/openapi.json";

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

export class OpenApiContract {
  readonly #document: OpenApiDocument;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #templates: { path: string; pattern: RegExp }[];

  constructor(document: OpenApiDocument) {
    this.#document = document;
    this.#ajv.addSchema({ ...document, $id: DOC_ID });
    this.#templates = Object.keys(document.paths).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    }));
  }

  /** The documented path template `path` (without query) matches, or undefined. */
  templateOf(path: string): string | undefined {
    const bare = path.split("?")[0]!;
    return this.#templates.find((template) => template.pattern.test(bare))?.path;
  }

  /** Problems with the response, empty when it conforms. */
  async check(method: string, path: string, response: Response): Promise<string[]> {
    const template = this.templateOf(path);
    if (template === undefined) return [`${path} is not in the document`];
    const operation = this.#document.paths[template]![method.toLowerCase()];
    if (operation === undefined) return [`${method} ${template} is not in the document`];
    const documented = operation.responses[String(response.status)];
    if (documented === undefined) return [`${method} ${template}: status ${response.status} is not documented`];
    if (documented.content === undefined) {
      const text = await response.clone().text();
      return text === "" ? [] : [`${method} ${template} ${response.status}: a body where none is documented`];
    }
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (documented.content[contentType] === undefined) {
      return [`${method} ${template} ${response.status}: content type ${contentType} is not documented`];
    }
    const key = pointer(
      "paths",
      template,
      method.toLowerCase(),
      "responses",
      String(response.status),
      "content",
      contentType,
      "schema",
    );
    let validate = this.#validators.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: `${DOC_ID}#/${key}` });
      this.#validators.set(key, validate);
    }
    const text = await response.clone().text();
    const body: unknown = contentType.endsWith("json") ? JSON.parse(text) : text;
    return validate(body) ? [] : [`${method} ${template} ${response.status}: ${this.#ajv.errorsText(validate.errors)}`];
  }
}
