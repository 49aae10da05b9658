/**
 * `<dataDir>/demo.json`: how to reach everything the demo started, a stable contract for scripts and tests
 * (its shape is fixed by issue #8; add keys, never rename them).
 */
export interface DemoJson {
  readonly hub: { readonly serverName: string; readonly clientUrl: string; readonly registrationSharedSecret: string };
  readonly partners: ReadonlyArray<{
    readonly orgId: string;
    readonly serverName: string;
    readonly clientUrl: string;
    readonly registrationSharedSecret: string;
    readonly queueRoomId: string;
    readonly responders: ReadonlyArray<{ readonly userId: string; readonly password: string }>;
  }>;
  readonly intakeBot: string;
  readonly monitorsRoomId: string;
  /** The admin API and its bootstrap token (superadmin); null if its port could not be bound. */
  readonly admin: { readonly url: string; readonly token: string } | null;
}

const rule = "─".repeat(72);

/** The short block `haven demo` prints once everything is ready. */
export function demoReadyBlock(
  demo: DemoJson,
  extra: {
    readonly demoJsonFile: string;
    readonly root: string;
    readonly coordinator: { readonly userId: string; readonly password: string };
    readonly registerCommand: string;
  },
): string {
  const partners = demo.partners.flatMap((partner) => [
    `  ${partner.orgId}   on ${partner.serverName}   client URL ${partner.clientUrl}`,
    ...partner.responders.map((person) => `      responder  ${person.userId}   password ${person.password}`),
  ]);
  return [
    "",
    rule,
    "Haven demo is running: a hub and two partner organisations' homeservers, federating on this machine.",
    "",
    `  hub            ${demo.hub.serverName}   client URL ${demo.hub.clientUrl}`,
    `  intake bot     ${demo.intakeBot}`,
    `  coordinator    ${extra.coordinator.userId}   password ${extra.coordinator.password}   (monitors' room)`,
    ...(demo.admin === null ? [] : [`  admin API      ${demo.admin.url}/v1   bearer token in ${extra.demoJsonFile}`]),
    ...partners,
    "",
    "Try it:",
    "  1. Make a survivor's account on the hub (another terminal):",
    `       ${extra.registerCommand}`,
    `  2. Log in with Element or any Matrix client, homeserver URL ${demo.hub.clientUrl}, and start an`,
    `     encrypted direct chat with ${demo.intakeBot}; write "hi" and ask for help.`,
    "  3. Log in as a responder (homeserver URL of her organisation's server): the case is offered in her",
    "     organisation's queue room; `!claim <code>` takes it.",
    "",
    `Details:   ${extra.demoJsonFile}`,
    `State:     ${extra.root}   (npm run demo -- --fresh starts over)`,
    "Stop:      Ctrl-C",
    rule,
    "",
  ].join("\n");
}
