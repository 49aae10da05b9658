/**
 * The key paths a YAML file mentions, set or commented out. A commented-out key is written `# key: value` with
 * the `#` where the key itself would start, e.g. under `crypto:`, `  # storageKey: { file: … }`. Prose comments
 * rarely look like that: they would need a lower-case word followed directly by a colon.
 */
export function mentionedKeyPaths(yaml: string): Set<string> {
  const paths = new Set<string>();
  const open: { indent: number; key: string }[] = [];
  for (const line of yaml.split("\n")) {
    const match = /^( *)(?:# ?)?([a-z][A-Za-z0-9]*):(?:\s|$)/.exec(line);
    const [, spaces, key] = match ?? [];
    if (spaces === undefined || key === undefined) continue;
    const indent = spaces.length;
    while ((open.at(-1)?.indent ?? -1) >= indent) open.pop();
    open.push({ indent, key });
    paths.add(open.map((entry) => entry.key).join("."));
  }
  return paths;
}
