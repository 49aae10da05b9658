/**
 * A configuration the operator has to fix. Its message is one line, starting with "config: ", naming the key
 * path, what was expected and what was found, and never containing a secret's value.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(problem: string) {
    super(`config: ${problem.replaceAll(/\s*\n\s*/g, " ")}`);
  }
}
