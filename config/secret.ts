import { inspect } from "node:util";

const redacted = "[redacted]";

/**
 * A loaded secret (token, password, key, database URL). Every way of printing it (`String()`, template strings,
 * `JSON.stringify`, `console.log`/`util.inspect`, pino) gives "[redacted]"; only `reveal()` gives the value, so a
 * secret reaches the one call that needs it and nothing else.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return redacted;
  }

  toJSON(): string {
    return redacted;
  }

  [Symbol.toPrimitive](): string {
    return redacted;
  }

  [inspect.custom](): string {
    return redacted;
  }
}
