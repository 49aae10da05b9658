import { categories, provinces } from "../../core/directory/index.ts";
import { translate } from "../../core/i18n/translate.ts";
import type { Survivor } from "./survivor.ts";

const choice = (list: readonly string[], item: string): string => String(list.indexOf(item) + 1);

/**
 * A survivor's whole intake in English, from the greeting to her case being opened: domestic violence, Phnom Penh,
 * Khmer, not in danger now, an adult, consenting to be referred. Resolves to the case code the bot gave her.
 */
export async function completeIntake(survivor: Survivor): Promise<string> {
  await survivor.waitForBotMessages(1, "the greeting");
  await survivor.say("2", translate("en", "menu.title"));
  await survivor.say("2", translate("en", "triage.kindQuestion"));
  await survivor.say(choice(categories, "domestic_violence"), translate("en", "triage.provinceQuestion"));
  await survivor.say(choice(provinces, "phnom_penh"), translate("en", "triage.languageQuestion"));
  await survivor.say("0", translate("en", "triage.dangerQuestion"));
  await survivor.say("2", translate("en", "triage.ageQuestion"));
  await survivor.say("2", translate("en", "triage.consentQuestion"));
  const opened = (await survivor.say("1", translate("en", "menu.title"))).join("\n");
  const code = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(opened)?.[0];
  if (code === undefined) throw new Error("the bot gave no case code");
  return code;
}
