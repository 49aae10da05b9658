import type { DevHubSettings } from "./hub.ts";
import { hubClientUrl } from "./hub.ts";
import type { DevLayout } from "./layout.ts";

const rule = "─".repeat(72);

/** The block `haven dev` prints once Haven is ready: where the hub is, who the bot is, how to try it. */
export function readyBlock(input: {
  readonly settings: DevHubSettings;
  readonly intakeUserId: string;
  readonly layout: DevLayout;
}): string {
  const { settings, intakeUserId, layout } = input;
  const clientUrl = hubClientUrl(settings);
  return [
    "",
    rule,
    "Haven is running on the embedded dev hub.",
    "",
    `  hub client URL    ${clientUrl}`,
    `  hub server name   ${settings.serverName}`,
    `  intake bot        ${intakeUserId}`,
    "",
    "Try it:",
    "  1. Add an account for yourself (in another terminal; it prints the password):",
    "       npm run dev -- add-user alice",
    "  2. Log in with Element (desktop app) or any Matrix client:",
    `       homeserver URL  ${clientUrl}`,
    "       user name       alice",
    `  3. Start an encrypted direct chat with ${intakeUserId} and write "hi".`,
    "",
    `State:     ${layout.root}   (npm run dev -- --fresh starts over)`,
    `Hub log:   ${layout.hubDir}/homeserver.log`,
    "Stop:      Ctrl-C",
    rule,
    "",
  ].join("\n");
}

export function addedUserBlock(input: {
  readonly settings: DevHubSettings;
  readonly userId: string;
  readonly localpart: string;
  readonly password: string;
}): string {
  return [
    `Added ${input.userId} to the dev hub. Log in with Element or any Matrix client:`,
    `  homeserver URL  ${hubClientUrl(input.settings)}`,
    `  user name       ${input.localpart}`,
    `  password        ${input.password}`,
    "The password is shown only this once.",
    "",
  ].join("\n");
}
