const expected = "expected a postgres://, postgresql:// or sqlite:<path> URL";

/** The scheme, only when the value plainly is a URL ("mysql://…"); a value without one may be a bare password. */
function visibleScheme(value: string): string | undefined {
  return /^([a-z][a-z0-9+.-]{0,15}):\/\//.exec(value)?.[1];
}

/**
 * Checks a database URL secret against what core/db's openDatabase accepts (a test holds the two together).
 * The problem never repeats the URL, which may carry a password.
 */
export function databaseUrlProblem(value: string): string | undefined {
  if (value.startsWith("sqlite:")) {
    const path = value.slice("sqlite:".length);
    return path === "" || path.startsWith("//") ? `${expected}, found sqlite: without a plain file path` : undefined;
  }
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
    return URL.canParse(value) ? undefined : `${expected}, found a postgres URL that does not parse`;
  }
  const scheme = visibleScheme(value);
  return scheme === undefined ? `${expected}, found a value without a URL scheme` : `${expected}, found ${scheme}://`;
}
